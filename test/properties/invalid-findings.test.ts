/**
 * Property 5 — invalid findings, on every pack: a bad finding is never a verdict.
 *
 * - `invalidFindingArbitrary` (an unknown fact, a value of the wrong type, an undeclared enum
 *   value): `classify` always throws a `FindingError` (src/compile/facts.ts) whose `.facts`
 *   includes the fact at fault and whose code is unknown-fact / wrong-type / bad-enum / bad-value
 *   (exactly unknown-fact for an unknown fact); the same through `classifyMany` (throws, or with
 *   `errors: 'collect'` yields an error entry, never a verdict) and `classifySite`.
 * - The engine accepts exactly what the pack's finding schema (`pack.factsSchema`, the one place
 *   a finding's shape is defined) accepts: for a valid finding with one fact replaced by an
 *   arbitrary value (edge cases included: NaN, ±Infinity, -0, unsafe integers, impossible dates,
 *   repeated set members, null, nested data), classify gives a verdict iff the schema accepts the
 *   facts, and otherwise a FindingError naming that fact.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/invalid-findings.test.ts -t '<test name>'`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { FindingError } from '../../src/compile/facts.js';
import { factValueArbitrary, invalidFindingArbitrary, thresholds } from '../../src/testing/arbitraries.js';
import { allPackFiles, compiled } from '../helpers/packs.js';
import { deepFreeze, packFindingArbitrary, params, REPLAYING } from '../helpers/properties.js';

const CODES = ['unknown-fact', 'wrong-type', 'bad-enum', 'bad-value'];

/** Runs `f`, which must throw a FindingError; returns it. */
function findingError(f: () => unknown): FindingError {
  let result: unknown;
  try {
    result = f();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(FindingError);
    return error as FindingError;
  }
  throw new Error(`expected a FindingError, got a result: ${JSON.stringify(result).slice(0, 300)}`);
}

/** Values of every kind, the edges of each fact type included. */
const anyValue = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0.5,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 60),
    1e21,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    '',
    'x',
    '2026-02-30',
    '2024-02-29',
    '2026-1-1',
    null,
    true,
    false,
    [],
    {},
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
);

describe.each(allPackFiles())('%s', (file) => {
  const pack = compiled(file);
  const engine = createEngine({ packs: [pack] });
  const near = thresholds(pack);
  const names = Object.keys(pack.source.facts);

  it('classify: an invalid finding throws a FindingError naming the fact, with a finding code', () => {
    fc.assert(
      fc.property(invalidFindingArbitrary(pack), ({ finding, fact, kind }) => {
        const error = findingError(() => engine.classify(deepFreeze(finding)));
        expect(error.facts).toContain(fact);
        expect(CODES).toContain(error.code);
        if (kind === 'unknown-fact') expect(error.code).toBe('unknown-fact');
        for (const issue of error.issues) expect(CODES).toContain(issue.code);
      }),
      params(200),
    );
  });

  it("classifyMany: throws on an invalid finding; with errors: 'collect' yields an error entry, never a verdict", () => {
    const batch = fc.tuple(fc.array(packFindingArbitrary(pack), { maxLength: 4 }), invalidFindingArbitrary(pack), fc.array(packFindingArbitrary(pack), { maxLength: 4 }));
    fc.assert(
      fc.property(batch, ([before, bad, after]) => {
        const findings = [...before, { ...bad.finding, id: 'bad' }, ...after];
        const thrown = findingError(() => engine.classifyMany(findings));
        expect(thrown.facts).toContain(bad.fact);
        const results = engine.classifyMany(findings, { errors: 'collect' });
        expect(results).toHaveLength(findings.length);
        const entry = results[before.length]!;
        expect(entry).not.toHaveProperty('level');
        expect(entry).toMatchObject({ id: 'bad', error: { code: expect.stringMatching(/^(unknown-fact|wrong-type|bad-enum|bad-value)$/) } });
        expect((entry as { error: { facts: string[] } }).error.facts).toContain(bad.fact);
        results.forEach((r, i) => i !== before.length && expect(r).toHaveProperty('level'));
      }),
      params(60),
    );
  });

  // Site-level determination exists only in packs that declare one: skipped for the others.
  it.runIf(pack.source.determination !== undefined)('classifySite: an invalid finding among a site’s findings throws a FindingError naming the fact', () => {
    fc.assert(
      fc.property(invalidFindingArbitrary(pack), fc.array(packFindingArbitrary(pack), { maxLength: 3 }), ({ finding, fact }, others) => {
        const findings = [...others.map((f) => ({ facts: f.facts })), { facts: finding.facts }];
        const error = findingError(() => engine.classifySite({ pack: pack.id, observed_at: pack.effectiveFrom, site: {}, findings }));
        expect(error.facts).toContain(fact);
        expect(CODES).toContain(error.code);
      }),
      params(60),
    );
  });

  it("classify accepts exactly the fact records the pack's finding schema accepts", () => {
    const mutated = fc
      .tuple(packFindingArbitrary(pack), fc.constantFrom(...names))
      .chain(([finding, name]) =>
        fc
          .oneof(
            { arbitrary: anyValue, weight: 3 },
            { arbitrary: factValueArbitrary(pack.source.facts[name]!, near.get(name)), weight: 2 },
            { arbitrary: fc.oneof(...names.map((n) => factValueArbitrary(pack.source.facts[n]!, near.get(n)))), weight: 1 },
          )
          .map((value) => ({ finding: { ...finding, facts: { ...finding.facts, [name]: value } }, name, value })),
      );
    let rejected = 0;
    fc.assert(
      fc.property(mutated, ({ finding, name }) => {
        const accepted = pack.factsSchema.safeParse(finding.facts).success;
        if (accepted) {
          expect(engine.classify(finding).level).toMatch(/^(major|general|undetermined)$/);
        } else {
          rejected++;
          const error = findingError(() => engine.classify(finding));
          expect(error.facts).toContain(name);
          expect(CODES).toContain(error.code);
        }
      }),
      params(300),
    );
    if (!REPLAYING) expect(rejected).toBeGreaterThan(0);
  });
});
