/**
 * Property 4 — the differential test can catch a broken compiler (mutation testing).
 *
 * test/interop/differential.test.ts checks that on complete findings the compiled engine and
 * json-rules-engine agree. Here the compiled side runs a MUTANT — the pack with one
 * `greaterThan` replaced by `greaterThanInclusive`, compiled with `compilePack` — while
 * json-rules-engine runs the ORIGINAL pack. The very same differential property, with the same
 * generator (findingArbitrary, complete) and the same number of runs (150), must FAIL: `fc.check`
 * must report a counterexample, and that counterexample must sit on the mutated boundary and
 * replay. "Would catch" is taken to mean reliably: each of five fresh random runs must catch it.
 * The unmutated pack passes the same check (control), so the failure is the mutant's doing. The
 * same is asserted with `tiedFindingArbitrary` (test/helpers/properties.ts), a generator that
 * often ties facts compared with each other, and the pack's own examples are shown to catch the
 * mutant too (example-mismatch on validation).
 *
 * Packs: the fireworks pack (FW2017-04, fact compared with fact: actual_persons_present >
 * approved_max_persons) and the fixture coal-mine 2026 (CM2026-4-1, annual_output_ratio > 1.10,
 * a numeric literal threshold).
 *
 * Replaying: `fc.check` returns the seed and path of the counterexample it found; to replay the
 * failing differential on the mutant, `fc.check(property, { numRuns: 150, seed, path })`. The
 * suite prints them when a check does not behave as expected. (FC_SEED / FC_PATH are ignored here:
 * these checks are about what a fresh random run finds.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { compilePack, type CompiledPack } from '../../src/compile/compile-pack.js';
import { createJsonRulesEngine, runJsonRulesEngine } from '../../src/interop/json-rules-engine.js';
import type { Condition, Pack } from '../../src/pack/schema.js';
import { validatePack } from '../../src/pipeline.js';
import { findingArbitrary, type GeneratedFinding } from '../../src/testing/arbitraries.js';
import { compiled, fixture, ROOT } from '../helpers/packs.js';
import { leavesOf, tiedFindingArbitrary } from '../helpers/properties.js';

/**
 * The differential property of test/interop/differential.test.ts, with the two sides given
 * (and, by default, its generator: findingArbitrary over complete findings).
 */
function differential(ours: CompiledPack, reference: CompiledPack, date: string, findings: fc.Arbitrary<GeneratedFinding> = findingArbitrary(reference, { complete: true, observedAt: date })) {
  const engine = createEngine({ packs: [ours] });
  const jre = createJsonRulesEngine(reference, { date });
  return fc.asyncProperty(findings, async (finding) => {
    const verdict = engine.classify({ ...finding, pack: ours.id });
    const theirs = await runJsonRulesEngine(jre, finding.facts);
    expect(verdict.matches.map((m) => m.rule).sort()).toEqual([...theirs].sort());
    expect(verdict.level === 'major').toBe(theirs.length > 0);
    expect(verdict.missing.filter((m) => m.reason === 'fact-missing')).toEqual([]);
  });
}

/** The pack with the first `greaterThan` leaf of one rule (on one fact) made inclusive. */
function mutant(pack: CompiledPack, ruleId: string, fact: string): { pack: CompiledPack; source: Pack } {
  const source = structuredClone(pack.source);
  const rule = source.rules.find((r) => r.id === ruleId)!;
  const leaf = [rule.when, rule.applies_when, rule.unless]
    .filter((c): c is Condition => c !== undefined)
    .flatMap(leavesOf)
    .find((l) => l.fact === fact && l.operator === 'greaterThan');
  if (!leaf) throw new Error(`${ruleId} has no greaterThan on ${fact}`);
  leaf.operator = 'greaterThanInclusive';
  return { pack: compilePack(source, { file: `${pack.file} (mutant)` }), source };
}

const cases = [
  { file: `${ROOT}/rules/fireworks/2017.yaml`, rule: 'FW2017-04', fact: 'actual_persons_present', boundary: (f: GeneratedFinding['facts']) => f.actual_persons_present === f.approved_max_persons },
  { file: fixture('packs/coal-mine/2026.yaml'), rule: 'CM2026-4-1', fact: 'annual_output_ratio', boundary: (f: GeneratedFinding['facts']) => f.annual_output_ratio === 1.1 },
];

describe.each(cases)('mutant of $file: $rule $fact greaterThan → greaterThanInclusive', ({ file, rule: ruleId, fact, boundary }) => {
  const original = compiled(file);
  const broken = mutant(original, ruleId, fact);

  it('control: the unmutated pack passes the differential (both generators)', async () => {
    for (const findings of [undefined, tiedFindingArbitrary(original)]) {
      const details = await fc.check(differential(original, original, original.effectiveFrom, findings), { numRuns: 150 });
      expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
    }
  });

  /** Runs the differential on the mutant; checks a counterexample was found, on the boundary. */
  async function expectCaught(findings?: fc.Arbitrary<GeneratedFinding>) {
    const details = await fc.check(differential(broken.pack, original, original.effectiveFrom, findings), { numRuns: 150 });
    expect(details.failed, `the differential missed the mutant of ${ruleId} (150 runs, seed ${details.seed})`).toBe(true);
    const [finding] = details.counterexample as [GeneratedFinding];
    const report = `seed ${details.seed}, path ${details.counterexamplePath}: ${JSON.stringify(finding.facts)}`;
    expect(boundary(finding.facts), report).toBe(true);
    // The counterexample replays: the mutant says major by the mutated rule, the original does not.
    const mutantVerdict = createEngine({ packs: [broken.pack] }).classify(finding);
    const originalVerdict = createEngine({ packs: [original] }).classify(finding);
    expect(mutantVerdict.matches.map((m) => m.rule), report).toContain(ruleId);
    expect(originalVerdict.matches.map((m) => m.rule), report).not.toContain(ruleId);
  }

  // "Would catch" means reliably: five fresh random runs of the differential (150 findings each,
  // as in test/interop) must each find the mutant.
  it('the differential, as written, finds a counterexample on the mutated boundary (5 of 5 fresh runs)', async () => {
    for (let i = 0; i < 5; i++) await expectCaught();
  });

  it('with facts compared with facts often tied (tiedFindingArbitrary), the differential finds it too (5 of 5)', async () => {
    for (let i = 0; i < 5; i++) await expectCaught(tiedFindingArbitrary(original));
  });

  it("the pack's own examples catch the mutant as well", () => {
    const { diagnostics } = validatePack({ data: broken.source, file: 'mutant.yaml' });
    expect(diagnostics.filter((d) => d.code === 'example-mismatch').length).toBeGreaterThan(0);
  });
});
