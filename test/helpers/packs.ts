/** Where the test suites find packs: the bundled ones and the fixture excerpts. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPackFiles } from '../../src/bundled.js';
import { loadCompiledPack } from '../../src/pipeline.js';
import type { CompiledPack } from '../../src/compile/compile-pack.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export function fixturePackFiles(): string[] {
  const dir = join(FIXTURES, 'packs');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, d.name, f)))
    .sort();
}

export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

/** Every pack the suites run over: bundled and fixtures. */
export const allPackFiles = (): string[] => [...bundledPackFiles(), ...fixturePackFiles()];

const cache = new Map<string, CompiledPack>();
export function compiled(file: string): CompiledPack {
  let pack = cache.get(file);
  if (!pack) cache.set(file, (pack = loadCompiledPack(file)));
  return pack;
}
