/**
 * A–D grading: the example enterprises get their letters with their reasons; schemes are
 * replaceable, letter direction included; the major-hazard lifecycle is computed from dates;
 * impossible histories are refused; a bad scheme file gets diagnostics; the JSON Schema is in sync.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { bundledSchemeFiles, schemeJsonSchema, validateScheme } from '../../src/grade/index.js';
import { ROOT } from '../helpers/packs.js';

const engine = createEngine({ packs: [join(ROOT, 'rules', 'fireworks', '2017.yaml')] });
const example = (name: string) => JSON.parse(readFileSync(join(ROOT, 'examples', 'grading', name), 'utf8'));
const asOf = '2026-06-15';

describe('the example enterprises under the default scheme', () => {
  it.each([
    ['enterprise-a.json', 'A'],
    ['enterprise-b.json', 'B'],
    ['enterprise-c.json', 'C'],
    ['enterprise-d.json', 'D'],
  ])('%s → %s', (file, letter) => {
    const result = engine.grade(example(file), { asOf });
    expect(result.letter).toBe(letter);
    expect(result.scheme.id).toBe('default');
    expect(result.meaning.length).toBeGreaterThan(0);
    expect(result.reasons.filter((r) => r.kind === 'base').map((r) => r.rule)).toEqual(['M', 'F']);
  });

  it('C rests on the inherent-risk floor, and says the floor is a library value', () => {
    const result = engine.grade(example('enterprise-c.json'), { asOf });
    expect(result.reasons.find((r) => r.rule === 'F')).toMatchObject({ letter: 'C', provenance: 'library' });
    expect(result.caveats).toContainEqual(expect.objectContaining({ kind: 'library-value', rule: 'F' }));
  });

  it('D names the veto, the hazard, its clause and the day it went overdue; and what changed since B', () => {
    const result = engine.grade(example('enterprise-d.json'), { asOf });
    const veto = result.reasons.find((r) => r.rule === 'V4')!;
    expect(veto.evidence![0]).toMatchObject({ kind: 'major_hazard', id: 'YH-2026-0417', detail: { rule: 'FW2017-04', clause: '第四项', deadline: '2026-05-31', overdue_since: '2026-06-01' } });
    expect(result.base_letter).toBe('B');
    expect(result.change).toMatchObject({ from: 'B', to: 'D', direction: 'worse' });
    expect(result.change!.explanation).toContain('open past its deadline since 2026-06-01');
  });

  it('overdue is computed from the dates as of the day: the same profile is B before the deadline passes (M3 floor C), D after', () => {
    const profile = example('enterprise-d.json');
    expect(engine.grade(profile, { asOf: '2026-05-31' })).toMatchObject({ letter: 'C', next_events: [{ date: '2026-06-01' }] });
    expect(engine.grade(profile, { asOf: '2026-06-01' }).letter).toBe('D');
    const closed = { ...profile, hazards: [{ ...profile.hazards[0], verification: { on: '2026-06-10', passed: true }, closed_on: '2026-06-11' }] };
    expect(engine.grade(closed, { asOf: '2026-06-12' }).letter).toBe('B');
  });
});

describe('replacing the scheme, letter direction included', () => {
  it('the same mine under the default and the non-coal scheme: letters with their own meanings', () => {
    const mine = example('mine.json');
    const byDefault = engine.grade(mine, { asOf });
    const byNonCoal = engine.grade(mine, { asOf, scheme: 'non-coal-mine-2023' });
    expect(byNonCoal).toMatchObject({ letter: 'B', meaning: '一般风险', scheme: { id: 'non-coal-mine-2023' } });
    expect(byDefault.scheme.id).toBe('default');
    expect(byNonCoal.caveats.some((c) => c.kind === 'unverified-value')).toBe(true);
  });

  it('a chemical park gets the reversed letters: A is the highest risk', () => {
    const park = example('chemical-park.json');
    expect(engine.grade(park, { asOf, scheme: 'chemical-park-2023' })).toMatchObject({ letter: 'B', meaning: '较高安全风险', consequence: expect.stringContaining('停止新建') });
    expect(engine.grade({ ...park, facts: { park_safety_score: 90, professional_supervisors_staffed: true } }, { asOf, scheme: 'chemical-park-2023' }).letter).toBe('D');
    expect(engine.grade({ ...park, facts: { park_safety_score: 90, professional_supervisors_staffed: false } }, { asOf, scheme: 'chemical-park-2023' }).letter).toBe('A');
  });

  it('a scheme file replaces the bundled one', () => {
    const file = join(ROOT, 'rules', 'grading', 'non-coal-mine-2023.yaml');
    expect(engine.grade(example('mine.json'), { asOf, scheme: file }).scheme.id).toBe('non-coal-mine-2023');
  });
});

describe('the major-hazard lifecycle', () => {
  const base = { id: 'E1', facts: { inherent_risk: 'low', standardization: 'level1' } };
  const hazard = { id: 'H1', verdict: { level: 'major' as const }, found_on: '2026-03-01', deadline: '2026-04-30' };
  const grade = (h: Record<string, unknown>) => () => engine.grade({ ...base, hazards: [{ ...hazard, ...h }] }, { asOf });

  it('refuses a hazard closed before it was found', () => {
    expect(grade({ verification: { on: '2026-02-01', passed: true }, closed_on: '2026-02-02' })).toThrow(/enterprise E1, hazard H1: .*before it was found/);
  });
  it('refuses 销号 without 验收, or after a failed 验收', () => {
    expect(grade({ closed_on: '2026-04-01' })).toThrow(/hazard H1: closed .* without a verification/);
    expect(grade({ verification: { on: '2026-03-30', passed: false }, closed_on: '2026-04-01' })).toThrow(/verification .* failed/);
  });
  it('refuses a 验收 before closure was requested', () => {
    expect(grade({ closure_requested_on: '2026-04-10', verification: { on: '2026-04-05', passed: true }, closed_on: '2026-04-12' })).toThrow(/before closure was requested/);
  });
  it('a hazard found after the grading day does not count yet', () => {
    expect(engine.grade({ ...base, hazards: [{ ...hazard, found_on: '2026-07-01', deadline: '2026-07-10' }] }, { asOf }).letter).toBe('A');
  });
  it('an undetermined finding is not counted as major, and the grade says so', () => {
    const result = engine.grade({ ...base, hazards: [{ id: 'H2', finding: { standard: 'fireworks', observed_at: '2026-05-01', facts: { actual_persons_present: 8 } } }] }, { asOf });
    expect(result.letter).toBe('A');
    expect(result.caveats).toContainEqual(expect.objectContaining({ kind: 'hazard-undetermined', hazard: 'H2' }));
  });
});

describe('grading schemes as files', () => {
  it('every bundled scheme validates and its examples pass', () => {
    for (const file of bundledSchemeFiles()) {
      const result = validateScheme(file);
      expect(result.diagnostics.filter((d) => d.severity === 'error'), file).toEqual([]);
      expect(result.examples!.every((e) => e.ok), file).toBe(true);
    }
  });

  it('checked in schemas/grading-scheme.schema.json is what the zod source generates', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'schemas', 'grading-scheme.schema.json'), 'utf8'))).toEqual(schemeJsonSchema());
  });

  it('a misspelt measure in a scheme is an unknown-fact at its line, with a hint', () => {
    const text = readFileSync(join(ROOT, 'rules', 'grading', 'default.yaml'), 'utf8').replace('fact: overdue_major_hazards, operator', 'fact: overdue_major_hazard, operator');
    const { diagnostics } = validateScheme({ text, file: 'scheme.yaml' });
    const d = diagnostics.find((x) => x.code === 'unknown-fact')!;
    expect(d.message.en).toContain('did you mean "overdue_major_hazards"');
    expect(text.split('\n')[d.line - 1]).toContain('overdue_major_hazard,');
  });
});
