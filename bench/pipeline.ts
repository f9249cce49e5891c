/**
 * Whole-process measurements: loading the bundled packs, `hazard-rules list`, and the NDJSON
 * pipeline against its I/O floor (the same lines through JSON.parse + JSON.stringify), each in a
 * child process so that wall time and peak memory are the program's own.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../src/classify/engine.js';
import type { CompiledPack } from '../src/compile/compile-pack.js';
import { packageRoot } from '../src/bundled.js';
import { generateFindings } from './inputs.js';

const root = packageRoot();
const cli = join(root, 'dist', 'cli.js');
const work = join(tmpdir(), 'hazard-rules-bench');

/** Runs a command to its end; returns wall time and the peak resident memory (VmHWM, polled every 20 ms). */
async function timed(command: string, args: string[]): Promise<{ ms: number; rssMb: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // the process has ended
    }
  }, 20);
  let stdout = '';
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (stdout.length < 4096) stdout += chunk.toString();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  clearInterval(poll);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`);
  return { ms: performance.now() - started, rssMb: peakKb / 1024, stdout: bytes > 0 ? stdout : '' };
}

/** Creating an engine over every bundled pack and compiling each (packs compile lazily: touch them all). */
export async function measureLoad(): Promise<{ compileMs: number; listMs: number }> {
  const script = `const t = performance.now(); const h = await import(${JSON.stringify(join(root, 'dist', 'index.js'))}); const t1 = performance.now(); const e = h.createEngine(); for (const p of e.packs) e.pack(p.id).rules.length; console.log(performance.now() - t1);`;
  const samples: number[] = [];
  const lists: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run = await timed(process.execPath, ['--input-type=module', '-e', script]);
    samples.push(Number(run.stdout.trim()));
    lists.push((await timed(process.execPath, [cli, 'list'])).ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { compileMs: median(samples), listMs: median(lists) };
}

/**
 * The I/O floor: the same lines through JSON.parse and JSON.stringify, read and written exactly
 * as the CLI does (1 MiB chunks cut at the last newline, one write per block, waiting on drain),
 * so that the ratio isolates what judging adds.
 */
const FLOOR = `
const { createReadStream } = require('node:fs');
const { once } = require('node:events');
(async () => {
  let carry = '';
  const block = async (text) => {
    let out = '';
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\\n', start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.length > 0) out += JSON.stringify(JSON.parse(line)) + '\\n';
    }
    if (!process.stdout.write(out)) await once(process.stdout, 'drain');
  };
  for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    const last = text.lastIndexOf('\\n');
    if (last === -1) { carry = text; continue; }
    carry = text.slice(last + 1);
    await block(text.slice(0, last + 1));
  }
  if (carry) await block(carry);
})();
`;

export async function measurePipeline(pack: CompiledPack, engine: Engine, lines: number) {
  if (!existsSync(work)) mkdirSync(work, { recursive: true });
  const file = join(work, `findings-${pack.id}-${lines}.ndjson`);
  if (!existsSync(file)) {
    const findings = generateFindings(engine, pack, 5000, 99);
    const out = createWriteStream(file);
    for (let i = 0; i < lines; i++) {
      const f = findings[i % findings.length]!;
      if (!out.write(JSON.stringify({ ...f, id: `YH-${i}` }) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  const floorScript = join(work, 'floor.cjs');
  writeFileSync(floorScript, FLOOR);
  // /dev/null as stdout: we measure producing the output, not a terminal.
  const sh = (cmd: string) => timed('/bin/sh', ['-c', `exec ${cmd} > /dev/null`]);
  const node = JSON.stringify(process.execPath);
  // Three rounds, interleaved, and the median of each: one noisy moment should not decide a target.
  const rounds: Array<{ floor: number; single: number; singleRss: number; workers: number; workersRss: number }> = [];
  for (let i = 0; i < 3; i++) {
    const floor = await sh(`${node} ${floorScript} ${file}`);
    const single = await sh(`${node} ${cli} classify ${file}`);
    const workers = await sh(`${node} ${cli} classify --workers 2 ${file}`);
    rounds.push({ floor: floor.ms, single: single.ms, singleRss: single.rssMb, workers: workers.ms, workersRss: workers.rssMb });
  }
  const median = (pick: (r: (typeof rounds)[number]) => number) => rounds.map(pick).sort((a, b) => a - b)[1]!;
  return {
    floorMs: median((r) => r.floor),
    singleMs: median((r) => r.single),
    singleRssMb: Math.max(...rounds.map((r) => r.singleRss)),
    workersMs: median((r) => r.workers),
    workersRssMb: Math.max(...rounds.map((r) => r.workersRss)),
  };
}
