/**
 * Property 2 — order independence, on every pack.
 *
 * - `classifyMany` over any permutation of findings gives the same results, matched up by id
 *   (valid findings and, with `errors: 'collect'`, invalid ones too).
 * - For packs with a site-level `determination`: the `classifySite` verdict (level, path,
 *   branch, the set of elements with their status, missing) does not depend on the order of the
 *   findings, nor on findings given more than once; with distinct ids, a permutation gives the
 *   deep-equal verdict.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/order.test.ts -t '<test name>'`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type ManyResult } from '../../src/classify/engine.js';
import type { SiteVerdict } from '../../src/classify/verdict.js';
import type { CompiledPack } from '../../src/compile/compile-pack.js';
import { invalidFindingArbitrary, type FactValues } from '../../src/testing/arbitraries.js';
import { allPackFiles, compiled } from '../helpers/packs.js';
import { datesOf, packFindingArbitrary, params, partialFactsArbitrary, permutationArbitrary, REPLAYING } from '../helpers/properties.js';

const byId = (results: ManyResult[]) => new Map(results.map((r) => [r.id, r]));

/** A list with ids 0…n-1 and one of its permutations. */
function withPermutation<T>(items: fc.Arbitrary<T[]>): fc.Arbitrary<{ list: Array<T & { id: string }>; permuted: Array<T & { id: string }> }> {
  return items
    .map((xs) => xs.map((x, i) => ({ ...x, id: `f${i}` })))
    .chain((list) => permutationArbitrary(list).map((permuted) => ({ list, permuted })));
}

describe.each(allPackFiles())('%s: classifyMany', (file) => {
  const pack = compiled(file);
  const engine = createEngine({ packs: [pack] });

  it('gives the same verdict per id over any permutation of the findings', () => {
    fc.assert(
      fc.property(withPermutation(fc.array(packFindingArbitrary(pack, { split: true }), { minLength: 2, maxLength: 10 })), ({ list, permuted }) => {
        const a = byId(engine.classifyMany(list));
        const b = byId(engine.classifyMany(permuted));
        expect(b.size).toBe(list.length);
        for (const f of list) expect(b.get(f.id)).toEqual(a.get(f.id));
      }),
      params(60),
    );
  });

  it("with errors: 'collect', valid and invalid findings mixed: the same entry per id over any permutation", () => {
    const mixed = fc.array(fc.oneof(packFindingArbitrary(pack), invalidFindingArbitrary(pack).map((x) => x.finding)), { minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(withPermutation(mixed), ({ list, permuted }) => {
        const a = byId(engine.classifyMany(list, { errors: 'collect' }));
        const b = byId(engine.classifyMany(permuted, { errors: 'collect' }));
        for (const f of list) expect(b.get(f.id)).toEqual(a.get(f.id));
      }),
      params(40),
    );
  });
});

/** The parts of a site verdict that must not depend on the findings' order or repetition. */
function summary(v: SiteVerdict) {
  return {
    level: v.level,
    path: v.path,
    branch: v.branch,
    threshold: v.threshold,
    exemption: v.exemption,
    elements: v.elements.map((e) => `${e.element}:${e.status}:${e.missing.join(',')}`).sort(),
    missing: v.missing,
    caveats: v.caveats,
    branches: v.branches,
  };
}

/**
 * Findings for a site: the rules' own example findings and the site examples' findings (they
 * meet elements, so major sites are common) mixed with generated ones; observation facts only,
 * the site's context facts go to the site.
 */
function siteInputArbitrary(pack: CompiledPack) {
  const isContext = (n: string) => pack.source.facts[n]?.kind === 'context';
  const observations = (facts: FactValues) => Object.fromEntries(Object.entries(facts).filter(([n]) => !isContext(n)));
  const pool = [
    ...pack.source.rules.flatMap((r) => r.examples.map((e) => observations({ ...(e.context ?? {}), ...e.facts }))),
    ...(pack.source.determination?.examples ?? []).flatMap((e) => e.findings.map((f) => observations({ ...(f.context ?? {}), ...f.facts }))),
  ].filter((f) => Object.keys(f).length > 0);
  const finding = fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 3 },
    { arbitrary: partialFactsArbitrary(pack).map(observations), weight: 1 },
  );
  const correctable = fc.option(fc.boolean(), { nil: undefined });
  const gate = pack.source.facts.correctable_immediately ? 'correctable_immediately' : undefined;
  return fc.record({
    observed_at: fc.constantFrom(...datesOf(pack)),
    site: partialFactsArbitrary(pack).map((f) => Object.fromEntries(Object.entries(f).filter(([n]) => isContext(n)))),
    findings: fc.array(
      fc.tuple(finding, correctable).map(([facts, c]) => ({ facts: gate && c !== undefined ? { ...facts, [gate]: c } : facts })),
      { minLength: 1, maxLength: 10 },
    ),
  });
}

const sitePacks = allPackFiles().filter((f) => compiled(f).source.determination !== undefined);

it('some pack declares a site-level determination', () => expect(sitePacks.length).toBeGreaterThan(0));

describe.each(sitePacks)('%s: classifySite', (file) => {
  const pack = compiled(file);
  const engine = createEngine({ packs: [pack] });
  const input = siteInputArbitrary(pack);

  it('does not depend on the order of findings (distinct ids: deep-equal verdicts)', () => {
    let withElements = 0;
    fc.assert(
      fc.property(
        input.chain((site) => {
          const findings = site.findings.map((f, i) => ({ ...f, id: `f${i}` }));
          return permutationArbitrary(findings).map((permuted) => ({ site: { ...site, findings }, permuted }));
        }),
        ({ site, permuted }) => {
          const reference = engine.classifySite(site);
          if (reference.elements.length > 0) withElements++;
          expect(engine.classifySite({ ...site, findings: permuted })).toEqual(reference);
        },
      ),
      params(150),
    );
    // Not vacuous: where the determination counts elements, most generated sites meet (or
    // leave open) some. (GB 35181-2025's excerpt declares no element: its gap keeps every site open.)
    const d = pack.source.determination!;
    if (!REPLAYING && (d.direct || (d.comprehensive ?? []).length > 0)) expect(withElements).toBeGreaterThan(params(150).numRuns! / 2);
  });

  it('does not depend on the order of findings nor on duplicated findings (with or without ids)', () => {
    fc.assert(
      fc.property(
        input.chain((site) =>
          fc
            .array(fc.nat({ max: site.findings.length - 1 }), { maxLength: 10 })
            .chain((dups) => permutationArbitrary([...site.findings, ...dups.map((i) => site.findings[i]!)]))
            .map((findings) => ({ site, findings })),
        ),
        ({ site, findings }) => {
          const reference = engine.classifySite(site);
          const other = engine.classifySite({ ...site, findings });
          expect(summary(other)).toEqual(summary(reference));
        },
      ),
      params(150),
    );
  });
});
