/**
 * What every command shares: where output goes (injectable, so tests run commands in-process)
 * and how packs are chosen (bundled, or the files and folders given with --rules).
 */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { bundledPackFiles } from '../bundled.js';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal (progress bars only then). */
  stderrIsTTY: boolean;
}

export const processIo = (): Io => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: Boolean(process.stderr.isTTY),
});

export const line = (stream: Writable, text = ''): void => void stream.write(text + '\n');

/** Pack files from --rules arguments (files or folders searched for *.yaml), or the bundled ones. */
export function packFiles(rules: readonly string[] | undefined): string[] {
  if (!rules || rules.length === 0) return bundledPackFiles();
  return rules.flatMap((path) => (existsSync(path) && statSync(path).isDirectory() ? yamlFilesUnder(path) : [path]));
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? yamlFilesUnder(join(dir, d.name)) : d.name.endsWith('.yaml') ? [join(dir, d.name)] : []))
    .sort();
}

/** Exit codes: 0 fine, 1 the packs or examples are wrong, 2 some input could not be judged, 64 usage. */
export const EXIT = { ok: 0, failed: 1, inputErrors: 2, usage: 64 } as const;
