import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { FindingError } from '../../src/compile/facts.js';
import { HazardRulesError } from '../../src/errors.js';
import { join } from 'node:path';
import { compiled, ROOT } from '../helpers/packs.js';
import { bundledPackFiles } from '../../src/bundled.js';

const fireworks = createEngine({ today: () => '2026-11-23' });

describe('classify: three verdicts', () => {
  it('major: lists every matched clause with its text and the facts that decided it', () => {
    const verdict = fireworks.classify({
      id: 'F1',
      standard: 'fireworks',
      observed_at: '2026-03-02',
      facts: { actual_persons_present: 7, approved_max_persons: 6, open_flame_used_in_retail_premises: true },
    });
    expect(verdict.level).toBe('major');
    expect(verdict.matches.map((m) => m.rule)).toEqual(['FW2017-04', 'FW2017-20']);
    const m = verdict.matches[0]!;
    expect(m.clause).toBe('第四项');
    expect(m.text).toBe('四、工（库）房实际作业人员数量超过核定人数。');
    expect(m.facts).toEqual({ actual_persons_present: 7, approved_max_persons: 6 });
    expect(m.instrument).toBe('安监总管三〔2017〕121号');
    expect(verdict.pack).toMatchObject({ id: 'fireworks-2017', version: '1.0.0' });
    expect(verdict.pack.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verdict.id).toBe('F1');
  });

  it('general: equal to the approved number is compliant', () => {
    const verdict = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 6, approved_max_persons: 6 } });
    expect(verdict.level).toBe('general');
    expect(verdict.matches).toEqual([]);
    expect(verdict.missing).toEqual([]);
  });

  it('undetermined: a finding missing the deciding fact names it, per rule', () => {
    const verdict = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 7 } });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing).toEqual([{ rule: 'FW2017-04', clause: '第四项', reason: 'fact-missing', facts: ['approved_max_persons'] }]);
  });

  it('never a silent general: a partly decided `all` stays open on its missing part', () => {
    const verdict = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { maintenance_job_observed: true } });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing[0]!.facts).toContain('equipment_cleaned_of_composition_before_maintenance');
  });

  it('a finding that speaks to no clause is refused, not a clean bill (no-rule-reached)', () => {
    const nothing = () => fireworks.classify({ id: 'F-1', standard: 'fireworks', observed_at: '2026-03-02', facts: {} });
    expect(nothing).toThrow(FindingError);
    expect(nothing).toThrow(/F-1.*nothing was judged/);
    try {
      nothing();
    } catch (error) {
      expect((error as FindingError).code).toBe('no-rule-reached');
    }
    // Context facts alone reach no clause either.
    const coal = createEngine({ packs: [join(ROOT, 'rules', 'coal-mine', '2026.yaml')] });
    expect(() => coal.classify({ observed_at: '2026-08-01', facts: {}, context: { mine_type: 'underground' } })).toThrow(/nothing was judged/);
  });

  it('a general verdict names the clauses it was checked against and fell short of', () => {
    const v = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 6, approved_max_persons: 6 } });
    expect(v.level).toBe('general');
    expect(v.checked).toEqual(['FW2017-04']);
    expect(fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 7, approved_max_persons: 6 } }).checked).toEqual([]);
  });

  it('facts given as a Map (or any non-plain object) are a FindingError, not an empty finding', () => {
    const facts = new Map([['actual_persons_present', 8]]);
    expect(() => fireworks.classify({ id: 'M', standard: 'fireworks', observed_at: '2026-03-02', facts: facts as never })).toThrow(/M: facts must be a plain object/);
    expect(() => fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: facts as never }, { trusted: true })).toThrow(FindingError);
  });

  it('trusted input is still a finding: null, no facts or a malformed date are typed errors', () => {
    expect(() => fireworks.classify(null as never, { trusted: true })).toThrow(FindingError);
    expect(() => fireworks.classify({ standard: 'fireworks' } as never, { trusted: true })).toThrow(/facts/);
    expect(() => fireworks.classify({ standard: 'fireworks', observed_at: '2026-6-30', facts: { actual_persons_present: 8 } }, { trusted: true })).toThrow(/observed_at/);
  });

  it('a verdict shares no mutable object with its input (meta and set facts are copied)', () => {
    const meta = { inspector: { name: '张三' } };
    const v = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 7, approved_max_persons: 6 }, meta });
    expect(v.meta).toEqual(meta);
    expect(v.meta).not.toBe(meta);
    expect((v.meta as typeof meta).inspector).not.toBe(meta.inspector);
  });

  it('a meta nested too deeply to copy is refused with the finding, not a crash', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => fireworks.classify({ id: 'D', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 7, approved_max_persons: 6 }, meta: deep })).toThrow(/D: meta is nested too deeply/);
  });

  it('engine.packs is read-only', () => {
    expect(Object.isFrozen(fireworks.packs)).toBe(true);
    expect(Object.isFrozen(fireworks.packs[0]!.rules[0])).toBe(true);
    expect(() => {
      (fireworks.packs as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('every date is checked where it enters: editionFor and today', () => {
    expect(() => fireworks.editionFor('fireworks', '2026-6-30')).toThrow(/invalid|YYYY-MM-DD/);
    const garbage = createEngine({ packs: [join(ROOT, 'rules', 'fireworks', '2017.yaml')], today: () => 'garbage' });
    expect(() => garbage.classify({ standard: 'fireworks', facts: { actual_persons_present: 8, approved_max_persons: 6 } })).toThrow(/today must be a calendar date/);
  });

  it('does not mutate its input and gives the same verdict twice', () => {
    const finding = { standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 7, approved_max_persons: 6 }, context: {} };
    const copy = structuredClone(finding);
    const first = fireworks.classify(finding);
    expect(finding).toEqual(copy);
    expect(fireworks.classify(finding)).toEqual(first);
  });
});

describe('classify: bad input is an error naming the fact, never a verdict', () => {
  const base = { standard: 'fireworks', observed_at: '2026-03-02' };
  const failure = (facts: Record<string, unknown>) => {
    try {
      fireworks.classify({ ...base, facts });
    } catch (error) {
      return error as FindingError;
    }
    throw new Error('expected an error');
  };

  it('unknown fact', () => {
    const error = failure({ actual_person_present: 7 });
    expect(error).toBeInstanceOf(FindingError);
    expect(error.code).toBe('unknown-fact');
    expect(error.facts).toEqual(['actual_person_present']);
  });

  it('wrong type', () => {
    const error = failure({ actual_persons_present: '7' });
    expect(error.code).toBe('wrong-type');
    expect(error.facts).toEqual(['actual_persons_present']);
  });

  it('integer fact given a fraction', () => {
    expect(failure({ actual_persons_present: 6.5 }).facts).toEqual(['actual_persons_present']);
  });

  it('undeclared set member', () => {
    const error = failure({ licence_misuse: ['rented'] });
    expect(error.facts[0]).toBe('licence_misuse');
  });

  it('a bad date and an unknown envelope key are refused', () => {
    expect(() => fireworks.classify({ ...base, observed_at: '2026-02-30', facts: {} })).toThrow(FindingError);
    expect(() => fireworks.classify({ ...base, facts: {}, fcats: {} } as never)).toThrow(/fcats/);
  });

  it('unknown standard', () => {
    expect(() => fireworks.classify({ standard: 'nuclear', facts: {} })).toThrow(expect.objectContaining({ code: 'unknown-standard' }));
  });
});

describe('editions by date', () => {
  const engine = createEngine({
    packs: [join(ROOT, 'rules', 'coal-mine', '2020.yaml'), join(ROOT, 'rules', 'coal-mine', '2026.yaml')],
    today: () => '2026-11-23',
  });
  const finding = (observed_at?: string) => ({ standard: 'coal-mine', ...(observed_at ? { observed_at } : {}), facts: { annual_raw_coal_output_t: 1_440_000, approved_capacity_t_per_year: 1_200_000 } });

  it('judges a finding on the last day of the 2020 edition by the 2020 edition', () => {
    expect(engine.classify(finding('2026-06-30')).pack.id).toBe('coal-mine-2020');
  });

  it('judges a finding on the first day of the 2026 edition by the 2026 edition', () => {
    expect(engine.classify(finding('2026-07-01')).pack.id).toBe('coal-mine-2026');
  });

  it('refuses a date before the first encoded edition, naming the standard and the date', () => {
    expect(() => engine.classify(finding('2020-12-31'))).toThrow(HazardRulesError);
    expect(() => engine.classify(finding('2020-12-31'))).toThrow(/coal-mine.*2020-12-31/);
    expect(() => engine.classify(finding('2020-12-31'))).toThrow(expect.objectContaining({ code: 'no-edition-in-force' }));
  });

  it('without observed_at judges by the edition in force today and says so', () => {
    const verdict = engine.classify(finding());
    expect(verdict.pack.id).toBe('coal-mine-2026');
    expect(verdict.observed_at).toBe('2026-11-23');
    expect(verdict.date_basis).toBe('today');
  });

  it('a pinned edition is used, and refused outside its period', () => {
    expect(engine.classify({ ...finding('2026-06-30'), pack: 'coal-mine-2020' }).pack.id).toBe('coal-mine-2020');
    expect(() => engine.classify({ ...finding('2026-07-01'), pack: 'coal-mine-2020' })).toThrow(expect.objectContaining({ code: 'date-outside-edition' }));
  });

  it('refuses overlapping editions of one standard', () => {
    const pack = compiled(join(ROOT, 'rules', 'coal-mine', '2026.yaml'));
    const clash = { ...pack, id: 'coal-mine-2026-copy', effectiveFrom: '2026-06-01' };
    expect(() => createEngine({ packs: [pack, clash] })).toThrow(expect.objectContaining({ code: 'edition-overlap' }));
  });
});

describe('rules dated inside an edition', () => {
  const engine = createEngine({ packs: [join(ROOT, 'rules', 'metal-nonmetal-mine', '2022.yaml')] });
  const facts = { flammable_material_stored_near_intake: true, distance_to_intake_collar_or_adit_m: 40 };
  const context = { site_type: 'underground_mine' };

  it('a 矿安〔2024〕41号 situation is not in force the day before 2024-04-23', () => {
    const verdict = engine.classify({ observed_at: '2024-04-22', facts, context });
    expect(verdict.level).toBe('general');
    expect(verdict.pack.id).toBe('metal-nonmetal-mine-2022');
  });

  it('is in force from 2024-04-23, and the match names its instrument', () => {
    const verdict = engine.classify({ observed_at: '2024-04-23', facts, context });
    expect(verdict.level).toBe('major');
    expect(verdict.matches[0]).toMatchObject({ rule: 'NM2024-补充一-1', instrument: '矿安〔2024〕41号' });
  });
});

describe('exemptions, scope and declared defaults', () => {
  const engine = createEngine({ packs: [join(ROOT, 'rules', 'coal-mine', '2026.yaml')] });
  const observed_at = '2026-08-01';

  it('a trigger that is true with the exemption unknown is undetermined, naming the exemption fact', () => {
    const verdict = engine.classify({ observed_at, context: { gas_class: 'outburst' }, facts: { mining_in_area: true, regional_prediction_done: false } });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing.find((m) => m.rule === 'CM2026-6-1-1')?.facts).toEqual(['directly_deemed_risk_or_direct_measures']);
  });

  it('the exemption, when claimed, cancels the situation', () => {
    const verdict = engine.classify({ observed_at, context: { gas_class: 'outburst' }, facts: { mining_in_area: true, regional_prediction_done: false, directly_deemed_risk_or_direct_measures: true } });
    expect(verdict.level).toBe('general');
  });

  it('outside its scope (not an outburst mine) the rule says nothing', () => {
    const verdict = engine.classify({ observed_at, context: { gas_class: 'high_gas' }, facts: { mining_in_area: true, regional_prediction_done: false } });
    expect(verdict.level).toBe('general');
  });

  it('scope unknown (gas class missing) is undetermined, naming the context fact', () => {
    const verdict = engine.classify({ observed_at, facts: { mining_in_area: true, regional_prediction_done: false, directly_deemed_risk_or_direct_measures: false } });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing.find((m) => m.rule === 'CM2026-6-1-1')?.facts).toEqual(['gas_class']);
  });

  it('a declared default decides only where the rule assumes it, and the verdict lists it', () => {
    const verdict = engine.classify({ observed_at, context: { mine_stage: 'construction' }, facts: { coal_extraction_ongoing: true } });
    expect(verdict.level).toBe('major');
    expect(verdict.assumptions).toEqual([expect.objectContaining({ rule: 'CM2026-17-1', fact: 'registered_joint_commissioning', value: false })]);
    expect(verdict.matches[0]!.facts).toMatchObject({ registered_joint_commissioning: false });
  });

  it('no assumption is listed when the fact was given', () => {
    const verdict = engine.classify({ observed_at, context: { mine_stage: 'construction' }, facts: { coal_extraction_ongoing: true, registered_joint_commissioning: false } });
    expect(verdict.assumptions).toEqual([]);
  });
});

describe('limit tables', () => {
  const engine = createEngine({ packs: [join(ROOT, 'rules', 'coal-mine', '2026.yaml')] });
  const judge = (facts: Record<string, unknown>, context: Record<string, unknown> = { gas_source: 'worked_seam' }) =>
    engine.classify({ observed_at: '2026-08-01', facts, context }).level;

  it('reads the limit of the row the input falls in (表1, closed and open bounds as printed)', () => {
    expect(judge({ face_daily_output_t: 1000, desorbable_gas_m3_per_t: 8 })).toBe('general');
    expect(judge({ face_daily_output_t: 1000, desorbable_gas_m3_per_t: 8.01 })).toBe('major');
    expect(judge({ face_daily_output_t: 1000.5, desorbable_gas_m3_per_t: 7.5 })).toBe('major');
    expect(judge({ face_daily_output_t: 10001, desorbable_gas_m3_per_t: 4.01 })).toBe('major');
  });

  it('below the first row of 表2 there is no limit: not major', () => {
    expect(judge({ face_absolute_gas_emission_m3_per_min: 4.9, face_gas_drainage_rate_pct: 0 }, { gas_source: 'adjacent_seams_and_rock' })).toBe('general');
    expect(judge({ face_absolute_gas_emission_m3_per_min: 5, face_gas_drainage_rate_pct: 19.9 }, { gas_source: 'adjacent_seams_and_rock' })).toBe('major');
  });

  it('a missing input leaves the limit unknown, unless every row gives the same answer', () => {
    expect(judge({ desorbable_gas_m3_per_t: 6 })).toBe('undetermined');
    expect(judge({ desorbable_gas_m3_per_t: 9 })).toBe('major');
    expect(judge({ desorbable_gas_m3_per_t: 4 })).toBe('general');
    // 表2 starts at Q≥5: below it there is no limit, so a missing emission leaves even 0 % open …
    const ctx = { gas_source: 'adjacent_seams_and_rock' };
    expect(judge({ face_gas_drainage_rate_pct: 0 }, ctx)).toBe('undetermined');
    // … and a 70 % rate meets every row: decided without the emission.
    expect(judge({ face_gas_drainage_rate_pct: 70 }, ctx)).toBe('general');
  });
});

describe('declared gaps', () => {
  it('a general verdict inside a gap carries a caveat naming it', () => {
    const engine = createEngine({ packs: [join(ROOT, 'rules', 'coal-mine', '2020.yaml')] });
    const verdict = engine.classify({ observed_at: '2024-01-10', context: { mine_type: 'open_pit' }, facts: { annual_raw_coal_output_t: 1_000_000, monthly_raw_coal_output_t: 90_000, approved_capacity_t_per_year: 1_200_000 } });
    expect(verdict.level).toBe('general');
    const gapsOf = (v: typeof verdict) => v.caveats.flatMap((c) => (c.kind === 'gap' ? [c.instrument] : []));
    expect(gapsOf(verdict)).toEqual(['矿安〔2023〕125号']);
    const before = engine.classify({ observed_at: '2023-01-10', context: { mine_type: 'open_pit' }, facts: { annual_raw_coal_output_t: 1_000_000, monthly_raw_coal_output_t: 90_000, approved_capacity_t_per_year: 1_200_000 } });
    expect(gapsOf(before)).toEqual([]);
    const underground = engine.classify({ observed_at: '2024-01-10', context: { mine_type: 'underground' }, facts: { annual_raw_coal_output_t: 1_000_000, monthly_raw_coal_output_t: 90_000, approved_capacity_t_per_year: 1_200_000 } });
    expect(gapsOf(underground)).toEqual([]);
  });

  it('a verdict short of major that rests on an unverified clause says so; a major one reports it in the match', () => {
    const general = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { non_fireworks_dangerous_goods_in_fireworks_store: false, prohibited_or_over_standard_products_handled: false } });
    expect(general.level).toBe('general');
    expect(general.caveats).toEqual([expect.objectContaining({ kind: 'unverified-rule', rule: 'FW2017-19', clause: '第十九项' })]);
    const major = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { non_fireworks_dangerous_goods_in_fireworks_store: true } });
    expect(major.caveats).toEqual([]);
    expect(major.matches[0]).toMatchObject({ rule: 'FW2017-19', unverified: true });
    const verified = fireworks.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 6, approved_max_persons: 6 } });
    expect(verified.caveats).toEqual([]);
  });

  it('an edition whose text is not encoded leaves the verdict undetermined with the reason', () => {
    const engine = createEngine({ packs: [join(ROOT, 'rules', 'fire-safety', '2025.yaml')] });
    const verdict = engine.classifySite({ observed_at: '2026-01-05', site: { site_categories: ['other'] }, findings: [] });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing).toEqual([expect.objectContaining({ reason: 'edition-text-not-encoded' })]);
  });
});

describe('the engine', () => {
  it('loads every bundled pack by default and lists their rules', () => {
    const engine = createEngine();
    expect(engine.packs.map((p) => p.id).sort()).toEqual(bundledPackFiles().map((f) => compiled(f).id).sort());
    const fw = engine.packs.find((p) => p.id === 'fireworks-2017')!;
    expect(fw.rules).toHaveLength(20);
  });

  it('classifyMany keeps order and, asked to, collects errors instead of throwing', () => {
    const results = fireworks.classifyMany(
      [
        { id: 1, standard: 'fireworks', observed_at: '2026-01-01', facts: { actual_persons_present: 7, approved_max_persons: 6 } },
        { id: 2, standard: 'fireworks', observed_at: '2026-01-01', facts: { nonsense: 1 } },
        { id: 3, standard: 'fireworks', observed_at: '2026-01-01', facts: { actual_persons_present: 6, approved_max_persons: 6 } },
        { id: 4, standard: 'fireworks', observed_at: '2026-01-01', facts: {} },
      ],
      { errors: 'collect' },
    );
    expect(results.map((r) => ('error' in r ? `error:${r.error.code}:${r.error.facts}` : r.level))).toEqual(['major', 'error:unknown-fact:nonsense', 'general', 'error:no-rule-reached:']);
  });
});

describe('today', () => {
  it('is the calendar day in China (UTC+8), as YYYY-MM-DD', async () => {
    const { chinaToday } = await import('../../src/classify/editions.js');
    const shanghai = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(chinaToday()).toBe(shanghai);
  });
});

describe('envelope errors name the finding and the field', () => {
  const engine = createEngine({ packs: [join(ROOT, 'rules', 'fireworks', '2017.yaml')] });
  it('a wrong observed_at names the id and the field', () => {
    expect(() => engine.classify({ id: 'YH-9', standard: 'fireworks', observed_at: '2026-02-30', facts: { actual_persons_present: 1 } })).toThrow(/finding YH-9: observed_at/);
    expect(() => engine.classify({ id: 7, standard: 'fireworks', facts: 'none' as never })).toThrow(/finding 7: facts/);
  });
});
