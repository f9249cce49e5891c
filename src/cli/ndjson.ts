/**
 * NDJSON in blocks: a block is many whole lines of input; judging it gives the output lines,
 * the counts, and the lines that could not be judged (by their line number within the block).
 * The same function runs in the main thread or in a worker (`--workers N`).
 */
import type { Engine } from '../classify/engine.js';
import type { PackRef, Verdict } from '../classify/verdict.js';
import { HazardRulesError } from '../errors.js';

export interface BlockOptions {
  standard?: string;
  pack?: string;
  pretty?: boolean;
}

export interface BlockResult {
  /** The verdict lines (text, or UTF-8 bytes when a worker encoded them). */
  output: string | Uint8Array;
  /** Lines in the block (including blank ones). */
  lines: number;
  counts: { major: number; general: number; undetermined: number };
  /** Lines that could not be judged: 1-based within the block, and why. */
  failures: Array<{ line: number; message: string }>;
}

/** Where a block's output lines go: a string (main thread) or UTF-8 bytes (workers). */
export interface LineSink<T> {
  add(line: string): void;
  finish(): T;
}

export const textSink = (): LineSink<string> => {
  let output = '';
  return { add: (line) => void (output += line + '\n'), finish: () => output };
};

const encoder = new TextEncoder();

/**
 * Output lines encoded one by one into one growing byte buffer: most verdicts are plain ASCII
 * and encode at memcpy speed, where one long string holding a few Chinese texts would be encoded
 * entirely through the slow two-byte path.
 */
export function byteSink(sizeHint: number): LineSink<Uint8Array> {
  let bytes = new Uint8Array(Math.max(1024, sizeHint));
  let used = 0;
  return {
    add(line) {
      // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
      const need = used + line.length * 3 + 1;
      if (need > bytes.length) {
        const grown = new Uint8Array(Math.max(need, bytes.length * 2));
        grown.set(bytes.subarray(0, used));
        bytes = grown;
      }
      used += encoder.encodeInto(line, bytes.subarray(used)).written;
      bytes[used++] = 10;
    },
    finish: () => bytes.subarray(0, used),
  };
}

/** The longest input line judged (bytes); a longer one is reported, not read into memory whole. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A block of whole lines, decoded as UTF-8 strictly: invalid bytes are never replaced silently.
 * Lines that are not valid UTF-8 come back blank, their numbers in `invalid` (1-based). A
 * byte-order mark at the start is dropped.
 */
export function decodeBlock(bytes: Uint8Array): { text: string; invalid: number[] } {
  try {
    return { text: strictUtf8.decode(bytes), invalid: [] };
  } catch {
    const lines: string[] = [];
    const invalid: number[] = [];
    let start = 0;
    while (start <= bytes.length) {
      let end = bytes.indexOf(10, start);
      if (end === -1) end = bytes.length;
      try {
        lines.push(strictUtf8.decode(bytes.subarray(start, end)));
      } catch {
        lines.push('');
        invalid.push(lines.length);
      }
      start = end + 1;
    }
    return { text: lines.join('\n'), invalid };
  }
}

/** Judges a block of UTF-8 bytes: decoded strictly, each invalid line reported by its number. */
export function judgeBytes<T extends string | Uint8Array>(engine: Engine, bytes: Uint8Array, options: BlockOptions, format: (v: Verdict) => string, sink: LineSink<T>): BlockResult & { output: T } {
  const { text, invalid } = decodeBlock(bytes);
  return judgeBlock(engine, text, options, format, sink, invalid);
}

export function judgeBlock(engine: Engine, text: string, options: BlockOptions, format?: (v: Verdict) => string): BlockResult & { output: string };
export function judgeBlock<T extends string | Uint8Array>(engine: Engine, text: string, options: BlockOptions, format: (v: Verdict) => string, sink: LineSink<T>, invalid?: readonly number[]): BlockResult & { output: T };
export function judgeBlock(
  engine: Engine,
  text: string,
  options: BlockOptions,
  format: (v: Verdict) => string = verdictJson,
  sink: LineSink<string | Uint8Array> = textSink(),
  invalid: readonly number[] = [],
): BlockResult {
  const counts = { major: 0, general: 0, undetermined: 0 };
  const failures: BlockResult['failures'] = [];
  let nextInvalid = 0;
  let line = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    let raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (invalid[nextInvalid] === line) {
      nextInvalid++;
      failures.push({ line, message: 'invalid-utf8: the line is not valid UTF-8 text' });
      continue;
    }
    if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.length === 0 || raw.trim().length === 0) continue;
    try {
      const finding = JSON.parse(raw) as Record<string, unknown>;
      if (finding === null || typeof finding !== 'object' || Array.isArray(finding)) throw new SyntaxError('a line must hold one JSON object');
      if (options.standard && finding.standard === undefined && finding.pack === undefined) finding.standard = options.standard;
      if (options.pack && finding.pack === undefined) finding.pack = options.pack;
      const verdict = engine.classify(finding as never);
      counts[verdict.level]++;
      sink.add(format(verdict));
    } catch (error) {
      // RangeError: a line nested too deeply to write back (its meta); the batch goes on.
      if (!(error instanceof SyntaxError || error instanceof HazardRulesError || error instanceof RangeError)) throw error;
      const message =
        error instanceof HazardRulesError ? `${error.code}: ${error.message}` : error instanceof RangeError ? `too-deep: ${error.message}` : `malformed JSON: ${(error as Error).message}`;
      failures.push({ line, message });
    }
  }
  return { output: sink.finish(), lines: line, counts, failures };
}

const packJson = new WeakMap<PackRef, string>();

/**
 * `JSON.stringify(verdict)`, faster: the pack reference (the same for every verdict of an
 * edition) is serialised once, and empty lists are written directly. Same text, same key order
 * (a test holds it to JSON.stringify).
 */
export function verdictJson(v: Verdict): string {
  let pack = packJson.get(v.pack);
  if (pack === undefined) packJson.set(v.pack, (pack = JSON.stringify(v.pack)));
  const list = (xs: readonly unknown[]) => (xs.length === 0 ? '[]' : JSON.stringify(xs));
  return (
    '{' +
    (v.id === undefined ? '' : `"id":${JSON.stringify(v.id)},`) +
    `"level":"${v.level}","standard":${JSON.stringify(v.standard)},"observed_at":${JSON.stringify(v.observed_at)},"date_basis":"${v.date_basis}",` +
    `"pack":${pack},"matches":${list(v.matches)},"missing":${list(v.missing)},"checked":${list(v.checked)},"assumptions":${list(v.assumptions)},"caveats":${list(v.caveats)}` +
    (v.meta === undefined ? '' : `,"meta":${JSON.stringify(v.meta)}`) +
    '}'
  );
}
