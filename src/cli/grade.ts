/**
 * `hazard-rules grade <enterprise.json | registry.ndjson | -> [--scheme id|file] [--as-of date] [--pretty]`:
 * the A–D grade of one enterprise profile (a .json file) or of every profile of a registry (NDJSON,
 * one profile a line, streamed: each line graded and written before the next is read). A profile
 * that cannot be graded is reported on stderr with its line number; exit 2 if any was.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { GradeResult } from '../grade/index.js';
import { resolveScheme } from '../grade/index.js';
import { HazardRulesError } from '../errors.js';
import { wholeLines } from './classify.js';
import { EXIT, line, openEngine, packFiles, type Io } from './io.js';
import { decodeBlock, MAX_LINE_BYTES } from './ndjson.js';

export interface GradeCliOptions {
  scheme?: string;
  asOf?: string;
  pretty?: boolean;
  rules?: string[];
  today?: string;
}

export async function grade(io: Io, input: string | undefined, options: GradeCliOptions): Promise<number> {
  if (!input) {
    line(io.stderr, 'usage: hazard-rules grade <enterprise.json | registry.ndjson | -> [--scheme id|file] [--as-of YYYY-MM-DD] [--pretty]');
    return EXIT.usage;
  }
  const engine = openEngine(io, { packs: packFiles(options.rules), ...(options.today ? { today: () => options.today! } : {}) });
  if (typeof engine === 'number') return engine;
  let scheme;
  try {
    scheme = resolveScheme(options.scheme);
  } catch (error) {
    if (!(error instanceof HazardRulesError)) throw error;
    const diagnostics = (error as { diagnostics?: Array<{ file: string; line: number; col: number; code: string; message: { en: string } }> }).diagnostics;
    if (diagnostics) for (const d of diagnostics) line(io.stderr, `${d.file}:${d.line}:${d.col} ${d.code} ${d.message.en}`);
    else line(io.stderr, `${error.code}: ${error.message}`);
    return EXIT.failed;
  }
  const gradeOne = (profile: unknown): GradeResult => engine.grade(profile as never, { scheme, ...(options.asOf ? { asOf: options.asOf } : {}) });
  const write = (r: GradeResult) => line(io.stdout, options.pretty ? formatGrade(r) : JSON.stringify(r));

  if (input !== '-' && input.endsWith('.json')) {
    try {
      write(gradeOne(JSON.parse(readFileSync(input, 'utf8').replace(/^\uFEFF/, ''))));
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof HazardRulesError || (error as NodeJS.ErrnoException).code !== undefined)) throw error;
      line(io.stderr, `${input}: ${error instanceof HazardRulesError ? `${error.code}: ` : ''}${(error as Error).message}`);
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? EXIT.usage : EXIT.inputErrors;
    }
  }
  return gradeRegistry(io, input, gradeOne, write);
}

async function gradeRegistry(io: Io, input: string, gradeOne: (p: unknown) => GradeResult, write: (r: GradeResult) => void): Promise<number> {
  let source: Readable;
  if (input === '-') source = io.stdin;
  else {
    try {
      if (statSync(input).isDirectory()) {
        line(io.stderr, `${input}: is a directory`);
        return EXIT.usage;
      }
    } catch (error) {
      line(io.stderr, `${input}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    source = createReadStream(input);
  }
  const name = input === '-' ? '<stdin>' : input;
  let lineNo = 0;
  let failed = 0;
  const counts = new Map<string, number>();
  for await (const piece of wholeLines(source as AsyncIterable<Buffer>, MAX_LINE_BYTES, () => {})) {
    if (!('block' in piece)) {
      lineNo++;
      failed++;
      line(io.stderr, `${name}:${lineNo}: line-too-long: ${piece.overlong} bytes`);
      continue;
    }
    const { text, invalid } = decodeBlock(piece.block);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const [i, raw] of lines.entries()) {
      lineNo++;
      if (invalid.includes(i + 1)) {
        failed++;
        line(io.stderr, `${name}:${lineNo}: invalid-utf8: the line is not valid UTF-8 text`);
        continue;
      }
      const trimmed = raw.replace(/^\uFEFF/, '').trim();
      if (trimmed === '') continue;
      try {
        const result = gradeOne(JSON.parse(trimmed));
        counts.set(result.letter, (counts.get(result.letter) ?? 0) + 1);
        write(result);
      } catch (error) {
        if (!(error instanceof SyntaxError || error instanceof HazardRulesError)) throw error;
        failed++;
        line(io.stderr, `${name}:${lineNo}: ${error instanceof HazardRulesError ? `${error.code}: ` : 'malformed JSON: '}${error.message}`);
      }
    }
  }
  const graded = [...counts.values()].reduce((a, b) => a + b, 0);
  line(io.stderr, `${graded} graded (${[...counts].sort().map(([l, n]) => `${n} ${l}`).join(', ') || 'none'}), ${failed} failed`);
  return failed > 0 ? EXIT.inputErrors : EXIT.ok;
}

/** A grade for people: the letter and what it means, every reason, the inspection plan. */
export function formatGrade(r: GradeResult): string {
  const out = [`[${r.enterprise}] ${r.letter} — ${r.meaning} (${r.meaning_en}); scheme ${r.scheme.id} v${r.scheme.version}, as of ${r.as_of}${r.base_letter !== r.letter ? `; without vetoes ${r.base_letter}` : ''}`];
  if (r.consequence) out.push(`  ⇒ ${r.consequence}`);
  if (r.change) out.push(`  Δ ${r.change.explanation}`);
  for (const reason of r.reasons) {
    const flag = reason.unverified ? ' [UNVERIFIED]' : reason.provenance === 'library' ? ' [library value]' : '';
    out.push(`  ${reason.kind.padEnd(10)} ${reason.rule} ${reason.effect} — ${reason.label}${flag}`);
    for (const e of reason.evidence ?? []) out.push(`      ${e.kind} ${e.id ?? ''} ${e.date} ${JSON.stringify(e.detail)}`);
  }
  if (r.inspection) out.push(`  inspections: ≥ ${r.inspection.min.count} per ${r.inspection.min.per_years} year(s), ≤ ${r.inspection.max_per_year} a year${r.inspection.monthly_while_suspended ? ', monthly while suspended' : ''}`);
  out.push(`  next grading ${r.next_regrading}${r.next_events.length ? `; sooner on: ${r.next_events.map((e) => `${e.date} ${e.event}`).join('; ')}` : ''}`);
  for (const c of r.caveats) out.push(`  ! ${c.message}`);
  return out.join('\n');
}
