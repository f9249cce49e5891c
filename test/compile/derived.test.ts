/**
 * Derived facts: the calendar conventions, three-valued reading (a missing input leaves the
 * derived fact missing and the verdict names the recorded input), and the rounding that lets
 * decimal thresholds compare as printed.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { daysBetween, monthsBetween } from '../../src/compile/derived.js';
import { fixture } from '../helpers/packs.js';

describe('calendar arithmetic', () => {
  it.each([
    ['2026-01-15', '2026-02-15', 1],
    ['2026-01-15', '2026-02-14', 0],
    ['2026-01-31', '2026-02-28', 1], // the last day of a shorter month completes it
    ['2024-01-31', '2024-02-28', 0], // …but not before its last day (2024 is a leap year)
    ['2024-01-31', '2024-02-29', 1],
    ['2026-03-31', '2026-04-30', 1],
    ['2026-01-15', '2027-01-15', 12],
    ['2026-01-15', '2027-01-14', 11],
    ['2026-05-10', '2026-05-10', 0],
    ['2026-05-10', '2026-03-10', -2],
  ])('months_between %s → %s = %i', (from, to, months) => {
    expect(monthsBetween(from, to)).toBe(months);
  });

  it.each([
    ['2026-03-01', '2026-03-02', 1],
    ['2026-03-01', '2026-03-01', 0],
    ['2026-03-02', '2026-03-01', -1],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-12-31', '2026-01-01', 1],
  ])('days_between %s → %s = %i', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('derived facts in verdicts', () => {
  const engine = createEngine({ packs: [fixture('packs', 'synthetic', 'derived.yaml')] });
  const classify = (facts: Record<string, unknown>, observed_at = '2026-06-01') => engine.classify({ facts, observed_at });

  it('names the recorded inputs that are missing, never the derived name', () => {
    const v = classify({ actual_output_t: 120 });
    expect(v.level).toBe('undetermined');
    expect(v.missing.map((m) => m.facts)).toEqual([['approved_capacity_t']]);
  });

  it('reports the recorded facts that decided a match', () => {
    const v = classify({ actual_output_t: 120, approved_capacity_t: 100 });
    expect(v.matches.map((m) => [m.rule, m.facts])).toEqual([['SYN-1', { actual_output_t: 120, approved_capacity_t: 100 }]]);
  });

  it('counts days up to the finding’s observed_at', () => {
    expect(classify({ rectified: false, rectification_deadline: '2026-05-31' }, '2026-06-01').level).toBe('major');
    expect(classify({ rectified: false, rectification_deadline: '2026-06-01' }, '2026-06-01').level).toBe('general');
  });

  it('rounds products so that 110 % of 100 is 110 (not 110.00000000000001)', () => {
    expect(classify({ monthly_output_t: 110, monthly_plan_t: 100 }).level).toBe('general');
    expect(classify({ monthly_output_t: 110.000001, monthly_plan_t: 100 }).level).toBe('major');
  });

  it('refuses a value below a declared bound', () => {
    expect(() => classify({ actual_output_t: -1, approved_capacity_t: 100 })).toThrow(/actual_output_t/);
  });
});

describe('bounds decide a comparison a missing fact cannot change', () => {
  const pack = `id: bounded
version: 1.0.0
title: 测试
title_en: Test
standard: { id: bounded, issuer: 测试, document_number: 测试〔2026〕1号, issued: 2026-01-01, effective_from: 2026-01-01 }
facts:
  actual_t: { type: number, kind: observation, min: 0, label: 实际, label_en: Actual }
  design_t: { type: number, kind: observation, min: 0, max: 500, label: 设计, label_en: Design }
rules:
  - id: R1
    clause: 第一项
    text: 测试。
    text_en: Test.
    unverified: true
    note: Synthetic.
    when: { fact: actual_t, operator: greaterThan, value: { fact: design_t } }
    examples:
      - { facts: { actual_t: 3, design_t: 2 }, expect: major }
      - { facts: { actual_t: 0 }, expect: general }
      - { facts: { actual_t: 501 }, expect: major }
      - { facts: { actual_t: 5 }, expect: undetermined, missing: [design_t] }
`;
  it('0 never exceeds a design value that is at least 0; 501 always exceeds one of at most 500', () => {
    const engine = createEngine({ packs: [{ text: pack, file: 'bounded.yaml' }] });
    const v = (facts: Record<string, unknown>) => engine.classify({ facts, observed_at: '2026-06-01' });
    expect(v({ actual_t: 0 })).toMatchObject({ level: 'general', checked: ['R1'] });
    expect(v({ actual_t: 501 }).level).toBe('major');
    expect(v({ actual_t: 5 }).missing).toEqual([expect.objectContaining({ rule: 'R1', facts: ['design_t'] })]);
  });
});
