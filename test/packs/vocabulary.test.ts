/**
 * One vocabulary: a fact name means the same thing in every pack that uses it. Facts shared by
 * several standards are defined once in rules/vocabulary/shared.yaml; the editions of one
 * standard share their facts with each other. Same type, kind, unit and enum values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundledPackFiles } from '../../src/bundled.js';
import type { Fact } from '../../src/pack/schema.js';
import { compiled, ROOT } from '../helpers/packs.js';

const shared = parse(readFileSync(join(ROOT, 'rules', 'vocabulary', 'shared.yaml'), 'utf8')) as { facts: Record<string, Fact> };

/** What must agree for two declarations of one fact to mean the same thing. */
const meaning = (f: Fact) => ({ type: f.type, kind: f.kind, unit: f.unit ?? null, values: f.values ? [...f.values].sort() : null });

const packs = bundledPackFiles().map((file) => compiled(file));

describe('the shared vocabulary', () => {
  it('is itself well formed: every entry has a type, a kind and both labels', () => {
    for (const [name, fact] of Object.entries(shared.facts)) {
      expect(fact.type, name).toBeTruthy();
      expect(['context', 'observation'], name).toContain(fact.kind);
      expect(fact.label && fact.label_en, name).toBeTruthy();
    }
  });

  it.each(packs.map((p) => [p.id, p] as const))('%s agrees with it on every shared fact', (_id, pack) => {
    const disagreements = Object.entries(pack.source.facts)
      .filter(([name]) => name in shared.facts)
      .filter(([name, fact]) => JSON.stringify(meaning(fact)) !== JSON.stringify(meaning(shared.facts[name]!)))
      .map(([name, fact]) => ({ fact: name, pack: meaning(fact), shared: meaning(shared.facts[name]!) }));
    expect(disagreements).toEqual([]);
  });
});

describe('the editions of one standard share one vocabulary', () => {
  const byStandard = new Map<string, typeof packs>();
  for (const p of packs) byStandard.set(p.standard, [...(byStandard.get(p.standard) ?? []), p]);
  const multi = [...byStandard].filter(([, editions]) => editions.length > 1);

  // Until a second edition of some standard is bundled there is nothing to compare.
  it.skipIf(multi.length > 0)('(no standard has two bundled editions yet)', () => expect(multi).toEqual([]));
  it.runIf(multi.length > 0).each(multi)('%s: a fact name has one meaning in every edition', (_standard, editions) => {
    const seen = new Map<string, { pack: string; meaning: string }>();
    const disagreements: string[] = [];
    for (const pack of editions) {
      for (const [name, fact] of Object.entries(pack.source.facts)) {
        const m = JSON.stringify(meaning(fact));
        const earlier = seen.get(name);
        if (!earlier) seen.set(name, { pack: pack.id, meaning: m });
        else if (earlier.meaning !== m) disagreements.push(`${name}: ${earlier.pack} ${earlier.meaning} ≠ ${pack.id} ${m}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

/**
 * Names two standards use with different values on purpose: each standard's own list (a coal mine
 * has 改扩建 and 极复杂 hydrogeology, a metal mine does not; the disciplines differ by trade).
 * Any other name used by several standards must be in the shared vocabulary.
 */
const PER_STANDARD = new Set(['mine_stage', 'hydrogeology_type', 'technical_staff_disciplines']);

describe('a fact name used by several standards', () => {
  it('is in the shared vocabulary (one meaning), or named here as a per-standard name', () => {
    const standards = new Map<string, Set<string>>();
    for (const pack of packs) for (const name of Object.keys(pack.source.facts)) standards.set(name, new Set([...(standards.get(name) ?? []), pack.standard]));
    const unshared = [...standards].filter(([name, s]) => s.size > 1 && !(name in shared.facts) && !PER_STANDARD.has(name)).map(([name, s]) => `${name} (${[...s].join(', ')})`);
    expect(unshared).toEqual([]);
  });
});
