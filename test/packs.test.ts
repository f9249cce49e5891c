/**
 * Every pack — bundled and fixture excerpts — validates, runs all its examples green, has a
 * major and a non-major example per rule, and quotes the official text verbatim from the
 * reference it was encoded from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePack } from '../src/pipeline.js';
import { allPackFiles, compiled, ROOT } from './helpers/packs.js';

const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');

/** The reference file each pack was encoded from. */
function referenceOf(file: string): string {
  const standard = basename(dirname(file));
  const edition = basename(file, '.yaml');
  if (standard === 'coal-mine' && edition === '2020') return 'coal-mine-2020.md';
  if (standard === 'metal-nonmetal-mine' && edition === '2017') return 'metal-nonmetal-mine-2017.md';
  return `${standard}.md`;
}

const squash = (s: string) => s.replace(/\s+/g, '');

describe.each(allPackFiles())('%s', (file) => {
  it('validates without error and every example passes', () => {
    const result = validatePack(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.examples!.length).toBeGreaterThan(0);
    expect(result.examples!.filter((e) => !e.ok)).toEqual([]);
  });

  it('has, for every rule, a major example and a non-major one', () => {
    for (const rule of compiled(file).source.rules) {
      expect(rule.examples.some((e) => e.expect === 'major'), rule.id).toBe(true);
      expect(rule.examples.some((e) => e.expect !== 'major'), rule.id).toBe(true);
    }
  });

  // The references live in ../shared (beside the repository, as on every developer's and CI's
  // machine); a checkout without them cannot check quotations, and says so instead of passing.
  it.skipIf(!existsSync(REFERENCES))('quotes every verified rule text verbatim from its reference, line by line', () => {
    // A clause with sub-items quotes its lead line and the sub-items it encodes, one per line.
    const verified = compiled(file).source.rules.filter((r) => !r.unverified);
    // (The synthetic mechanism fixtures quote no official text: all their rules say unverified.)
    if (verified.length === 0) return;
    const reference = squash(readFileSync(join(REFERENCES, referenceOf(file)), 'utf8'));
    const notFound = verified
      .filter((r) => !r.text.split('\n').every((line) => reference.includes(squash(line))))
      .map((r) => r.id);
    expect(notFound).toEqual([]);
  });
});

describe('the fireworks pack', () => {
  const pack = compiled(join(ROOT, 'rules', 'fireworks', '2017.yaml'));

  it('has one rule per item 一…二十 of the reference', () => {
    expect(pack.rules.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `FW2017-${String(i + 1).padStart(2, '0')}`));
  });

  it.skipIf(!existsSync(REFERENCES))('matches the reference item for item', () => {
    const reference = readFileSync(join(REFERENCES, 'fireworks.md'), 'utf8');
    const items = [...reference.matchAll(/^> ([一二三四五六七八九十]+、.+)$/gm)].map((m) => m[1]);
    expect(items).toHaveLength(20);
    expect(pack.source.rules.map((r) => r.text)).toEqual(items);
  });
});

describe('the build-time cache of the bundled packs', () => {
  it('gives each pack the content hash its data has (verdicts can be re-derived)', async () => {
    const { createEngine } = await import('../src/classify/engine.js');
    const { hashPack } = await import('../src/compile/compile-pack.js');
    const { loadPack } = await import('../src/pipeline.js');
    const { bundledPackFiles } = await import('../src/bundled.js');
    const engine = createEngine();
    for (const file of bundledPackFiles()) {
      const pack = loadPack(file);
      expect(engine.pack(pack.id).hash, file).toBe(hashPack(pack));
    }
  });
});
