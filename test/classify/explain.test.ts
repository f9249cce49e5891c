import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { formatExplanation, type LeafExplanation, type RuleExplanation } from '../../src/classify/explain.js';
import { join } from 'node:path';
import { fixture, ROOT } from '../helpers/packs.js';

const fireworks = createEngine();
const rule = (rules: RuleExplanation[], id: string) => rules.find((r) => r.rule === id)!;

describe('engine.explain', () => {
  it('gives every rule of the edition a status, and agrees with classify', () => {
    const finding = { id: 'x', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8, approved_max_persons: 6, lightning_protection_present: true } };
    const e = fireworks.explain(finding);
    expect(e.rules).toHaveLength(20);
    expect(e.pack.id).toBe('fireworks-2017');
    expect(e.verdict).toEqual(fireworks.classify(finding));
    expect(rule(e.rules, 'FW2017-04').status).toBe('matched');
    expect(rule(e.rules, 'FW2017-07').status).toBe('unknown');
    expect(rule(e.rules, 'FW2017-01').status).toBe('not-reached');
    expect(e.counts).toEqual({ matched: 1, 'not-matched': 0, unknown: 1, 'not-reached': 18, 'not-in-force': 0 });
    // Statuses agree with the verdict's matches, missing and checked.
    const v = e.verdict!;
    for (const r of e.rules) {
      if (r.status === 'matched') expect(v.matches.map((m) => m.rule)).toContain(r.rule);
      if (r.status === 'unknown') expect(v.missing.map((m) => m.rule)).toContain(r.rule);
      if (r.status === 'not-matched') expect(v.checked).toContain(r.rule);
    }
    const leaf = rule(e.rules, 'FW2017-04').when as LeafExplanation;
    expect(leaf).toMatchObject({
      kind: 'leaf',
      value: 'true',
      operator: 'greaterThan',
      fact: { fact: 'actual_persons_present', value: 8, source: 'recorded' },
      threshold: { other: { fact: 'approved_max_persons', value: 6, source: 'recorded' } },
    });
  });

  it('a not-matched rule shows the fact against its literal threshold', () => {
    const e = fireworks.explain({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 6, approved_max_persons: 6 } });
    expect(rule(e.rules, 'FW2017-04').status).toBe('not-matched');
    expect(e.verdict!.level).toBe('general');
    expect(formatExplanation(e)).toContain('✘ actual_persons_present = 6 persons  >  approved_max_persons = 6 persons');
  });

  it('derived facts show their recorded inputs and the computed value', () => {
    const engine = createEngine({ packs: [fixture('packs', 'synthetic', 'derived.yaml')] });
    const e = engine.explain({ standard: 'synthetic', observed_at: '2026-03-02', facts: { actual_output_t: 125, approved_capacity_t: 100 } });
    const leaf = rule(e.rules, 'SYN-1').when as LeafExplanation;
    expect(leaf.value).toBe('true');
    expect(leaf.fact).toMatchObject({
      fact: 'output_excess_share',
      value: 0.25,
      source: 'derived',
      derived: {
        operation: 'ratio',
        operands: [
          { fact: 'output_excess_t', value: 25, source: 'derived', derived: { operation: 'difference', operands: [{ fact: 'actual_output_t', value: 125 }, { fact: 'approved_capacity_t', value: 100 }] } },
          { fact: 'approved_capacity_t', value: 100, source: 'recorded' },
        ],
      },
    });
    expect(formatExplanation(e)).toContain('output_excess_share = 0.25 [ratio of output_excess_t = 25 t [difference of actual_output_t = 125 t, approved_capacity_t = 100 t]');
  });

  it('table limits show the row their input falls in and its limit', () => {
    const engine = createEngine({ packs: [join(ROOT, 'rules', 'coal-mine', '2020.yaml'), join(ROOT, 'rules', 'coal-mine', '2026.yaml')] });
    const e = engine.explain({ standard: 'coal-mine', observed_at: '2026-12-02', facts: { face_daily_output_t: 1800, desorbable_gas_m3_per_t: 7.5 }, context: { gas_source: 'worked_seam' } });
    const r = rule(e.rules, 'CM2026-5-9-1');
    expect(r.status).toBe('matched');
    expect(r.applies_when).toMatchObject({ kind: 'leaf', value: 'true', fact: { fact: 'gas_source', value: 'worked_seam' } });
    expect((r.when as LeafExplanation).threshold).toMatchObject({
      other: { fact: 'desorbable_gas_limit', value: 7, source: 'table', table: { row: '1000＜A≤2500', limit: 7, input: { fact: 'face_daily_output_t', value: 1800 } } },
    });
    expect(formatExplanation(e)).toContain('row 1000＜A≤2500 for face_daily_output_t = 1800');
  });

  it('rules dated inside the edition are not in force before their date', () => {
    const engine = createEngine({ packs: [join(ROOT, 'rules', 'metal-nonmetal-mine', '2022.yaml')] });
    const facts = { flammable_material_stored_near_intake: true, distance_to_intake_collar_or_adit_m: 20 };
    const before = engine.explain({ standard: 'metal-nonmetal-mine', observed_at: '2024-04-22', facts, context: { site_type: 'underground_mine' } });
    expect(rule(before.rules, 'NM2024-补充一-1').status).toBe('not-in-force');
    expect(formatExplanation(before)).toMatch(/not in force NM2024-补充一-1[^\n]*\n\s+in force 2024-04-23 – …, not on 2024-04-22/);
    const after = engine.explain({ standard: 'metal-nonmetal-mine', observed_at: '2024-04-23', facts, context: { site_type: 'underground_mine' } });
    expect(rule(after.rules, 'NM2024-补充一-1').status).toBe('matched');
  });

  it('a missing fact is shown as missing and the rule as unknown', () => {
    const e = fireworks.explain({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8 } });
    const r = rule(e.rules, 'FW2017-04');
    expect(r.status).toBe('unknown');
    expect((r.when as LeafExplanation).threshold).toEqual({ other: expect.objectContaining({ fact: 'approved_max_persons', source: 'missing' }) });
    expect(formatExplanation(e)).toContain('approved_max_persons = (missing)');
  });

  it('explains a finding that reaches no clause, without a verdict; refuses a bad one as classify does', () => {
    const e = fireworks.explain({ standard: 'fireworks', observed_at: '2026-03-02', facts: {} });
    expect(e.verdict).toBeUndefined();
    expect(e.counts['not-reached']).toBe(20);
    expect(() => fireworks.explain({ standard: 'fireworks', observed_at: '2026-03-02', facts: { nope: 1 } })).toThrow(/unknown fact "nope"/);
  });
});
