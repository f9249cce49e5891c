/**
 * `hazard-rules classify [--standard id] [--pack id] [--workers N] <findings.ndjson | ->`: one
 * verdict per line, NDJSON in and out, in constant memory: input is read in blocks of whole
 * lines, each block judged and written before more is read (output waits when its reader is
 * slow). A line that cannot be judged is reported on stderr with its line number and the batch
 * goes on; the exit code is 2 if any line failed. With `--workers N`, blocks are judged by N
 * threads (this one and N − 1 workers) and written in input order.
 *
 * `--site site.json` judges one site (site-level determination) instead.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Engine } from '../classify/engine.js';
import type { SiteVerdict } from '../classify/verdict.js';
import { HazardRulesError } from '../errors.js';
import { EXIT, line, openEngine, packFiles, type Io } from './io.js';
import { byteSink, judgeBytes, MAX_LINE_BYTES, verdictJson, type BlockOptions, type BlockResult } from './ndjson.js';
import { formatSiteVerdict, formatVerdict } from './pretty.js';
import { Progress } from './progress.js';
import type { BlockReply, BlockRequest, WorkerSetup } from './worker.js';

export interface ClassifyOptions extends BlockOptions {
  /** The longest line judged, in bytes (default MAX_LINE_BYTES); longer ones are reported. */
  maxLineBytes?: number;
  site?: string;
  rules?: string[];
  today?: string;
  workers?: number;
}

export async function classify(io: Io, input: string | undefined, options: ClassifyOptions): Promise<number> {
  const files = packFiles(options.rules);
  const engine = openEngine(io, { packs: files, ...(options.today ? { today: () => options.today! } : {}) });
  if (typeof engine === 'number') return engine;
  if (options.site) return classifySite(io, engine, options);
  if (!input) {
    line(io.stderr, 'usage: hazard-rules classify [--standard id] [--workers N] <findings.ndjson | ->');
    return EXIT.usage;
  }
  let source: Readable;
  let totalBytes: number | undefined;
  if (input === '-') {
    source = io.stdin;
  } else {
    try {
      const stat = statSync(input);
      if (stat.isDirectory()) {
        line(io.stderr, `${input}: is a directory; classify reads one NDJSON file (or - for standard input)`);
        return EXIT.usage;
      }
      totalBytes = stat.size;
    } catch (error) {
      line(io.stderr, `${input}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    // 256 KiB blocks keep one thread's memory low; workers get 1 MiB, fewer messages.
    source = createReadStream(input, { highWaterMark: (options.workers ?? 1) > 1 ? 1 << 20 : 1 << 18 });
  }

  const name = input === '-' ? '<stdin>' : input;
  const sink = new OrderedSink(io, name, io.stderrIsTTY ? new Progress(io.stderr, totalBytes) : undefined);
  const workers = options.workers ?? 1;
  if (workers > 1) await judgeWithWorkers(source, engine, files, options, sink);
  else await judgeInline(source, engine, options, sink);
  return sink.close();
}

/** What the line splitter yields: a block of whole lines, or a line too long to judge. */
type Piece = { block: Buffer } | { overlong: number };

/**
 * Cuts a byte stream into blocks of whole lines, in time linear in the input: a line that spans
 * chunks is gathered once, when its newline arrives. A line longer than `maxLine` bytes is not
 * gathered at all: it is skipped to its newline and reported (`line-too-long`).
 */
export async function* wholeLines(source: AsyncIterable<Buffer | string>, maxLine: number, onBytes: (n: number) => void): AsyncGenerator<Piece> {
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let skipping = 0; // bytes of an overlong line skipped so far (0: not skipping)
  for await (const raw of source) {
    // A stream in object or string mode (tests, piped in-process input) gives strings.
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    onBytes(chunk.length);
    const first = chunk.indexOf(10);
    if (first === -1) {
      if (skipping > 0) skipping += chunk.length;
      else if (pendingLength + chunk.length > maxLine) {
        skipping = pendingLength + chunk.length;
        pending = [];
        pendingLength = 0;
      } else {
        pending.push(chunk);
        pendingLength += chunk.length;
      }
      continue;
    }
    const last = chunk.lastIndexOf(10);
    let from = 0;
    if (skipping > 0) {
      yield { overlong: skipping + first };
      skipping = 0;
      from = first + 1;
    } else if (pendingLength + first > maxLine) {
      yield { overlong: pendingLength + first };
      pending = [];
      pendingLength = 0;
      from = first + 1;
    }
    if (last + 1 > from) yield { block: pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(from, last + 1)]) : chunk.subarray(from, last + 1) };
    const tail = chunk.subarray(last + 1);
    pending = tail.length > 0 ? [Buffer.from(tail)] : [];
    pendingLength = tail.length;
  }
  if (skipping > 0) yield { overlong: skipping };
  else if (pendingLength > 0) yield { block: Buffer.concat(pending) };
}

/** The result of a line too long to judge: one line, reported. */
const overlongResult = (bytes: number, maxLine: number): BlockResult => ({
  output: '',
  lines: 1,
  counts: { major: 0, general: 0, undetermined: 0 },
  failures: [{ line: 1, message: `line-too-long: ${bytes} bytes, more than the ${maxLine} a line may have (not judged)` }],
});

/** Judges each run of whole lines before reading on. */
async function judgeInline(source: Readable, engine: Engine, options: ClassifyOptions, sink: OrderedSink): Promise<void> {
  const format = options.pretty ? formatVerdict : verdictJson;
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  for await (const piece of wholeLines(source as AsyncIterable<Buffer | string>, maxLine, (n) => (sink.bytes += n))) {
    await sink.write('block' in piece ? judgeBytes(engine, piece.block, options, format, byteSink(piece.block.length * 4)) : overlongResult(piece.overlong, maxLine));
  }
}

/**
 * Cuts the input into blocks of whole lines and spreads them over N threads: N − 1 workers, and
 * this one when the workers are saturated (blocks travel as bytes, transferred, not copied). At most 4N blocks are
 * in flight, and results are written in input order.
 */
async function judgeWithWorkers(source: Readable, engine: Engine, packFiles: string[], options: ClassifyOptions, sink: OrderedSink): Promise<void> {
  const count = options.workers!;
  const format = options.pretty ? formatVerdict : verdictJson;
  const setup: WorkerSetup = { packFiles, today: options.today, options: { standard: options.standard, pack: options.pack, pretty: options.pretty } };
  // N threads judge: this one and N − 1 workers (this thread is idle otherwise: it only cuts
  // blocks and writes results, and one more thread than cores would only contend).
  const workers = Array.from({ length: count - 1 }, () => new Worker(new URL('./worker.js', import.meta.url), { workerData: setup }));
  const done = new Map<number, BlockResult>();
  let next = 0;
  let sent = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let flushing = Promise.resolve();

  const flush = async () => {
    while (done.has(next)) {
      const result = done.get(next)!;
      done.delete(next);
      next++;
      await sink.write(result);
    }
    wake?.();
  };
  // Blocks each worker holds: a block goes to the least busy worker, and this thread judges one
  // itself only when every worker already has two waiting (it also reads and writes).
  const busy = workers.map(() => 0);
  workers.forEach((worker, w) => {
    worker.on('message', (reply: BlockReply) => {
      busy[w]!--;
      if (reply.error) failure = new Error(`worker failed: ${reply.error}`);
      else done.set(reply.seq, { ...reply.result!, output: Buffer.from(reply.result!.output.buffer, reply.result!.output.byteOffset, reply.result!.output.byteLength) });
      flushing = flushing.then(flush);
    });
    worker.on('error', (error) => {
      failure = error;
      wake?.();
    });
  });
  const waitForRoom = async (limit: number) => {
    while (sent - next > limit && !failure) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
  };
  const submit = async (block: Uint8Array | BlockResult) => {
    await waitForRoom(4 * count - 1);
    const seq = sent++;
    if (!(block instanceof Uint8Array)) {
      done.set(seq, block);
      flushing = flushing.then(flush);
      return;
    }
    let w = 0;
    for (let i = 1; i < workers.length; i++) if (busy[i]! < busy[w]!) w = i;
    if (workers.length === 0 || busy[w]! >= 2) {
      done.set(seq, judgeBytes(engine, block, options, format, byteSink(block.byteLength * 4)));
      flushing = flushing.then(flush);
      return;
    }
    const bytes = new Uint8Array(block.byteLength);
    bytes.set(block);
    const request: BlockRequest = { seq, bytes };
    busy[w]!++;
    workers[w]!.postMessage(request, [bytes.buffer]);
  };
  try {
    const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
    for await (const piece of wholeLines(source as AsyncIterable<Buffer | string>, maxLine, (n) => (sink.bytes += n))) {
      await submit('block' in piece ? piece.block : overlongResult(piece.overlong, maxLine));
    }
    await waitForRoom(0);
    await flushing;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Writes block results in order: output to stdout (waiting on drain), failures to stderr. */
class OrderedSink {
  bytes = 0;
  private line = 0;
  private readonly counts = { major: 0, general: 0, undetermined: 0 };
  private readonly failedLines: number[] = [];

  constructor(
    private readonly io: Io,
    private readonly name: string,
    private readonly progress?: Progress,
  ) {}

  async write(result: BlockResult): Promise<void> {
    for (const f of result.failures) {
      this.failedLines.push(this.line + f.line);
      this.progress?.done();
      line(this.io.stderr, `${this.name}:${this.line + f.line}: ${f.message}`);
    }
    this.line += result.lines;
    this.counts.major += result.counts.major;
    this.counts.general += result.counts.general;
    this.counts.undetermined += result.counts.undetermined;
    this.progress?.update(this.bytes, this.line);
    if (result.output.length > 0 && !this.io.stdout.write(result.output)) await once(this.io.stdout, 'drain');
  }

  close(): number {
    this.progress?.done();
    const { major, general, undetermined } = this.counts;
    const failed = this.failedLines;
    line(
      this.io.stderr,
      `${major + general + undetermined} judged (${major} major, ${general} general, ${undetermined} undetermined), ${failed.length} failed` +
        (failed.length > 0 ? ` (lines ${failed.slice(0, 20).join(', ')}${failed.length > 20 ? ', …' : ''})` : ''),
    );
    return failed.length > 0 ? EXIT.inputErrors : EXIT.ok;
  }
}

function classifySite(io: Io, engine: Engine, options: ClassifyOptions): number {
  let verdict: SiteVerdict;
  try {
    const input = JSON.parse(readFileSync(options.site!, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
    if (options.standard && input.standard === undefined && input.pack === undefined) input.standard = options.standard;
    if (options.pack && input.pack === undefined) input.pack = options.pack;
    verdict = engine.classifySite(input as never);
  } catch (error) {
    const io_ = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof SyntaxError || error instanceof HazardRulesError || io_ === 'ENOENT' || io_ === 'EISDIR' || io_ === 'EACCES')) throw error;
    line(io.stderr, `${options.site}: ${error instanceof HazardRulesError ? `${error.code}: ` : ''}${(error as Error).message}`);
    return EXIT.inputErrors;
  }
  line(io.stdout, options.pretty ? formatSiteVerdict(verdict) : JSON.stringify(verdict));
  return EXIT.ok;
}
