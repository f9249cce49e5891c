/**
 * json-rules-engine is the reference backend: on every complete input it and the compiled engine
 * must agree on major vs not and on the set of matched rules. Inputs are generated from each
 * pack's vocabulary, biased to its thresholds; examples completed at random are added.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { createJsonRulesEngine, runJsonRulesEngine, toJsonRulesEngine } from '../../src/interop/json-rules-engine.js';
import { findingArbitrary } from '../../src/testing/arbitraries.js';
import { allPackFiles, compiled } from '../helpers/packs.js';

describe.each(allPackFiles())('%s: compiled engine ≡ json-rules-engine on complete inputs', (file) => {
  const pack = compiled(file);
  const engine = createEngine({ packs: [pack] });
  const dates = [...new Set([pack.effectiveFrom, ...pack.rules.flatMap((r) => [r.effectiveFrom, r.effectiveTo]).filter((d): d is string => !!d)])];
  const backends = new Map(dates.map((d) => [d, createJsonRulesEngine(pack, { date: d })]));

  it.each(dates)('on %s', async (date) => {
    const reference = backends.get(date)!;
    await fc.assert(
      fc.asyncProperty(findingArbitrary(pack, { complete: true, observedAt: date }), async (finding) => {
        const ours = engine.classify(finding);
        const theirs = await runJsonRulesEngine(reference, finding.facts, finding.observed_at);
        expect(ours.matches.map((m) => m.rule).sort()).toEqual([...theirs].sort());
        expect(ours.level === 'major').toBe(theirs.length > 0);
        // Complete inputs leave nothing open but declared gaps.
        expect(ours.missing.filter((m) => m.reason === 'fact-missing')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('exports one json-rules-engine rule per clause, tables and derived facts as computed facts', () => {
    const exported = toJsonRulesEngine(pack);
    expect(exported.rules.map((r) => r.name)).toEqual(pack.rules.map((r) => r.id));
    expect(exported.facts.map((f) => f.id).sort()).toEqual([...pack.tables.keys(), ...pack.derived.keys()].sort());
    expect(JSON.parse(JSON.stringify(exported.rules))).toEqual(exported.rules);
  });
});
