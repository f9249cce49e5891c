/**
 * What every command shares: where output goes (injectable, so tests run commands in-process)
 * and how packs are chosen (bundled, or the files and folders given with --rules).
 */
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { bundledPackFiles } from '../bundled.js';
import { createEngine, type Engine, type EngineOptions } from '../classify/engine.js';
import { HazardRulesError, PackError } from '../errors.js';
import { formatDiagnostic, type Language } from '../pack/diagnostics.js';

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

/**
 * What a safety engineer may name a pack by: a file or folder, a bundled pack id
 * (`fireworks-2017`) or a standard id (`fireworks`: every bundled edition of it).
 */
export function resolveTargets(targets: readonly string[]): string[] {
  return targets.flatMap((target) => {
    if (existsSync(target)) return packFiles([target]);
    const bundled = bundledPackFiles();
    const byPack = bundled.filter((f) => f.endsWith(`/${target.replace(/-(\d{4})$/, '/$1')}.yaml`));
    if (byPack.length > 0) return byPack;
    const byStandard = bundled.filter((f) => f.includes(`/rules/${target}/`));
    // Neither: keep it as a path, so that it is reported as unreadable.
    return byStandard.length > 0 ? byStandard : [target];
  });
}

/**
 * An engine over the packs, or — when a pack is broken or two editions overlap — every
 * diagnostic printed as file:line:col and the exit code for wrong packs. Never a stack trace.
 */
export function openEngine(io: Io, options: EngineOptions, lang: Language = 'both'): Engine | number {
  try {
    return createEngine(options);
  } catch (error) {
    if (error instanceof PackError) {
      for (const d of error.diagnostics) line(io.stderr, formatDiagnostic(d, lang));
      line(io.stderr, `${error.file}: the pack does not validate; nothing was judged`);
      return EXIT.failed;
    }
    if (error instanceof HazardRulesError) {
      line(io.stderr, `${error.code}: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? yamlFilesUnder(join(dir, d.name)) : d.name.endsWith('.yaml') ? [join(dir, d.name)] : []))
    .sort();
}

/**
 * Exit codes: 0 fine; 1 the packs or their examples are wrong (or editions overlap); 2 some input
 * could not be judged; 64 usage (bad option, missing or unreadable input file); 70 internal error.
 */
export const EXIT = { ok: 0, failed: 1, inputErrors: 2, usage: 64 } as const;
