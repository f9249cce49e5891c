/** Runs the CLI in-process and captures what it writes (the command-line suites share it). */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await main(args, { stdin: Readable.from([stdin]), stdout, stderr, stderrIsTTY: false });
  return { code, out: Buffer.concat(chunks.out).toString(), err: Buffer.concat(chunks.err).toString() };
}
