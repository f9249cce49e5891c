/**
 * Property 1 — determinism and purity, on every pack (bundled and fixtures).
 *
 * The same finding gives a deep-equal verdict every time (on the same engine and on a fresh
 * one), and judging never mutates the finding: it is deep-frozen (a write would throw in strict
 * mode) and still deep-equal to a structuredClone taken before. The same holds for sites.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/determinism.test.ts -t '<test name>'`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { allPackFiles, compiled } from '../helpers/packs.js';
import { deepFreeze, packFindingArbitrary, params, partialFactsArbitrary } from '../helpers/properties.js';

const meta = fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined });

describe.each(allPackFiles())('%s', (file) => {
  const pack = compiled(file);
  const engine = createEngine({ packs: [pack] });

  it('classify: the same finding gives a deep-equal verdict twice and is not mutated', () => {
    const finding = fc
      .tuple(packFindingArbitrary(pack, { split: true }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), meta)
      .map(([f, id, m]) => ({ ...f, ...(id !== undefined ? { id } : {}), ...(m !== undefined ? { meta: m } : {}) }));
    fc.assert(
      fc.property(finding, (raw) => {
        const before = structuredClone(raw);
        const input = deepFreeze(raw);
        const first = engine.classify(input);
        const second = engine.classify(input);
        const fresh = createEngine({ packs: [pack] }).classify(structuredClone(before));
        expect(second).toEqual(first);
        expect(fresh).toEqual(first);
        expect(input).toEqual(before);
        // Verdicts are data: they survive a structured clone unchanged (no functions, no cycles).
        expect(structuredClone(first)).toEqual(first);
      }),
      params(250),
    );
  });

  it('classifyMany: deep-equal results twice, inputs not mutated, each result equals classify', () => {
    fc.assert(
      fc.property(fc.array(packFindingArbitrary(pack, { split: true }), { maxLength: 6 }), (raw) => {
        const before = structuredClone(raw);
        const input = deepFreeze(raw);
        const first = engine.classifyMany(input);
        expect(engine.classifyMany(input)).toEqual(first);
        expect(first).toEqual(input.map((f) => engine.classify(f)));
        expect(input).toEqual(before);
      }),
      params(40),
    );
  });

  // Site-level determination exists only in packs that declare one: skipped for the others.
  it.runIf(pack.source.determination !== undefined)('classifySite: deep-equal site verdicts twice, input not mutated', () => {
    const contextNames = Object.entries(pack.source.facts)
      .filter(([, f]) => f.kind === 'context')
      .map(([n]) => n);
    const observationNames = Object.keys(pack.source.facts).filter((n) => !contextNames.includes(n));
    const site = fc.record({
      observed_at: fc.constant(pack.effectiveFrom),
      pack: fc.constant(pack.id),
      site: partialFactsArbitrary(pack).map((f) => Object.fromEntries(Object.entries(f).filter(([n]) => contextNames.includes(n)))),
      findings: fc.array(
        partialFactsArbitrary(pack).map((f) => ({ facts: Object.fromEntries(Object.entries(f).filter(([n]) => observationNames.includes(n))) })),
        { maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(site, (raw) => {
        const before = structuredClone(raw);
        const input = deepFreeze(raw);
        const first = engine.classifySite(input);
        expect(engine.classifySite(input)).toEqual(first);
        expect(input).toEqual(before);
      }),
      params(100),
    );
  });
});
