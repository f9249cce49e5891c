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
import { createEngine, type Engine } from '../classify/engine.js';
import type { SiteVerdict } from '../classify/verdict.js';
import { HazardRulesError } from '../errors.js';
import { EXIT, line, packFiles, type Io } from './io.js';
import { byteSink, judgeBlock, verdictJson, type BlockOptions, type BlockResult } from './ndjson.js';
import { formatSiteVerdict, formatVerdict } from './pretty.js';
import { Progress } from './progress.js';
import type { BlockReply, BlockRequest, WorkerSetup } from './worker.js';

export interface ClassifyOptions extends BlockOptions {
  site?: string;
  rules?: string[];
  today?: string;
  workers?: number;
}

export async function classify(io: Io, input: string | undefined, options: ClassifyOptions): Promise<number> {
  const files = packFiles(options.rules);
  const engine = createEngine({ packs: files, ...(options.today ? { today: () => options.today! } : {}) });
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
      totalBytes = statSync(input).size;
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

/** Reads text in chunks and judges each run of whole lines before reading on. */
async function judgeInline(source: Readable, engine: Engine, options: ClassifyOptions, sink: OrderedSink): Promise<void> {
  const format = options.pretty ? formatVerdict : verdictJson;
  source.setEncoding('utf8');
  let carry = '';
  for await (const chunk of source as AsyncIterable<string>) {
    sink.bytes += Buffer.byteLength(chunk);
    const text = carry + chunk;
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      carry = text;
      continue;
    }
    carry = text.slice(last + 1);
    await sink.write(judgeBlock(engine, text.slice(0, last + 1), options, format, byteSink(last * 4)));
  }
  if (carry.length > 0) await sink.write(judgeBlock(engine, carry, options, format, byteSink(carry.length * 4)));
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
  const submit = async (block: Uint8Array) => {
    await waitForRoom(4 * count - 1);
    const seq = sent++;
    let w = 0;
    for (let i = 1; i < workers.length; i++) if (busy[i]! < busy[w]!) w = i;
    if (workers.length === 0 || busy[w]! >= 2) {
      const text = Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString('utf8');
      done.set(seq, judgeBlock(engine, text, options, format, byteSink(block.byteLength * 4)));
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
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of source as AsyncIterable<Buffer>) {
      sink.bytes += chunk.length;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const last = data.lastIndexOf(10);
      if (last === -1) {
        carry = Buffer.from(data);
        continue;
      }
      carry = Buffer.from(data.subarray(last + 1));
      await submit(data.subarray(0, last + 1));
    }
    if (carry.length > 0) await submit(carry);
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
    const input = JSON.parse(readFileSync(options.site!, 'utf8')) as Record<string, unknown>;
    if (options.standard && input.standard === undefined && input.pack === undefined) input.standard = options.standard;
    if (options.pack && input.pack === undefined) input.pack = options.pack;
    verdict = engine.classifySite(input as never);
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof HazardRulesError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
    line(io.stderr, `${options.site}: ${error instanceof HazardRulesError ? `${error.code}: ` : ''}${(error as Error).message}`);
    return EXIT.inputErrors;
  }
  line(io.stdout, options.pretty ? formatSiteVerdict(verdict) : JSON.stringify(verdict));
  return EXIT.ok;
}
