import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { join } from 'node:path';
import { ROOT } from '../helpers/packs.js';

// The mechanisms on the real GB 35181-2017 pack (the site context a shopping mall records).
const engine = createEngine({ packs: [join(ROOT, 'rules', 'fire-safety', '2017.yaml')] });
const noExemption = {
  occupancy_types: ['shopping_mall'],
  is_high_rise: false,
  is_underground: false,
  expert_design_review_and_measures_taken: false,
  site_closed_or_out_of_use: false,
  insufficient_to_cause_major_fire_or_serious_impact: false,
};
const observed_at = '2024-05-01';

/** Findings that meet comprehensive elements of subset a) (crowded places), none correctable on the spot. */
const crowdedElements = [
  { id: 'e731', facts: { refuge_facilities_occupied: true, correctable_immediately: false } },
  { id: 'e734', facts: { independent_exit_or_stair_required: true, independent_exit_or_stair_provided: false, correctable_immediately: false } },
  { id: 'e735', facts: { sales_hall_evacuation_distance_m: 39, max_sales_hall_evacuation_distance_m: 30, correctable_immediately: false } },
];

describe('site-level determination (GB 35181-2017 excerpt)', () => {
  it('branch a): 2 of the crowded-place subset is not major, 3 is', () => {
    const two = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption }, findings: crowdedElements.slice(0, 2) });
    expect(two.level).toBe('not_major');
    const three = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption }, findings: crowdedElements });
    expect(three).toMatchObject({ level: 'major', path: 'comprehensive', branch: ['5.3.3a'], threshold: 3 });
    expect(three.elements.map((e) => e.element)).toEqual(['F17-7.3.1', 'F17-7.3.4', 'F17-7.3.5']);
  });

  it('the same three elements at an "other" site need 6: not major', () => {
    const verdict = engine.classifySite({ observed_at, site: { site_categories: ['other'], ...noExemption }, findings: crowdedElements });
    expect(verdict.level).toBe('not_major');
    expect(verdict.branches.find((b) => b.id === '5.3.3d')).toMatchObject({ applies: 'yes', met: 3, at_least: 6 });
  });

  it('each element counts once, however many findings meet it', () => {
    const twice = [crowdedElements[0]!, { ...crowdedElements[0]!, id: 'again' }, crowdedElements[1]!];
    const verdict = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption }, findings: twice });
    expect(verdict.level).toBe('not_major');
    expect(verdict.elements.find((e) => e.element === 'F17-7.3.1')!.findings).toEqual(['again', 'e731']);
  });

  it('a finding correctable on the spot does not count (5.1.2); unknown correctability leaves it open', () => {
    const corrected = [...crowdedElements.slice(0, 2), { ...crowdedElements[2]!, facts: { ...crowdedElements[2]!.facts, correctable_immediately: true } }];
    expect(engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption }, findings: corrected }).level).toBe('not_major');
    const unknown = [...crowdedElements.slice(0, 2), { id: 'e735', facts: { sales_hall_evacuation_distance_m: 39, max_sales_hall_evacuation_distance_m: 30 } }];
    const verdict = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption }, findings: unknown });
    expect(verdict.level).toBe('undetermined');
    expect(verdict.missing.flatMap((m) => m.facts)).toContain('correctable_immediately');
  });

  it('an exemption (5.1.3) makes the site not major; an unknown exemption fact leaves a major site undetermined', () => {
    const exempt = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], ...noExemption, site_closed_or_out_of_use: true }, findings: crowdedElements });
    expect(exempt).toMatchObject({ level: 'not_major', path: 'exemption', exemption: '5.1.3b' });
    const open = engine.classifySite({ observed_at, site: { site_categories: ['crowded_place'], expert_design_review_and_measures_taken: false, site_closed_or_out_of_use: false }, findings: crowdedElements });
    expect(open.level).toBe('undetermined');
    expect(open.missing.flatMap((m) => m.facts)).toEqual(['insufficient_to_cause_major_fire_or_serious_impact']);
  });

  it('one direct element is enough', () => {
    const verdict = engine.classifySite({
      observed_at,
      site: { site_categories: ['other'], ...noExemption },
      findings: [{ facts: { production_storage_hazard_class: 'a', located_in_basement_or_semi_basement: true, correctable_immediately: false } }],
    });
    expect(verdict).toMatchObject({ level: 'major', path: 'direct' });
  });

  it('the verdict does not depend on the order of findings or on duplicates (property)', () => {
    const pool = [
      ...crowdedElements,
      { id: 'e711', facts: { fire_lane_obstructed_or_occupied: true, correctable_immediately: false } },
      { id: 'e772', facts: { fire_alarm_installed: true, fire_alarm_operational: false } },
      { id: 'noise', facts: { refuge_facilities_compliant: true, refuge_facilities_occupied: false, correctable_immediately: false } },
    ];
    const categories = fc.subarray(['crowded_place', 'flammable_explosive_goods_place', 'important_place', 'other']);
    fc.assert(
      fc.property(categories, fc.subarray(pool), fc.nat(), (cats, chosen, seed) => {
        const site = { site_categories: cats, ...noExemption };
        const reference = engine.classifySite({ observed_at, site, findings: chosen });
        const shuffled = [...chosen, ...chosen.slice(0, seed % (chosen.length + 1))].sort(() => 0).reverse();
        const other = engine.classifySite({ observed_at, site, findings: shuffled });
        const summary = (v: typeof reference) => ({ level: v.level, path: v.path, branch: v.branch, elements: v.elements.map((e) => [e.element, e.status]), missing: v.missing });
        expect(summary(other)).toEqual(summary(reference));
      }),
    );
  });
});

describe('a site verdict says what it rests on', () => {
  const site = { site_categories: ['crowded_place'], ...noExemption };

  it('names the unverified branch it rests on (5.3.3 a) is a reconstruction in the reference)', () => {
    const verdict = engine.classifySite({ observed_at, site, findings: crowdedElements });
    expect(verdict.level).toBe('major');
    expect(verdict.caveats).toContainEqual(expect.objectContaining({ kind: 'unverified-rule', rule: '5.3.3a' }));
    expect(verdict.assumptions).toEqual([]);
  });

  it('refuses an observation fact written in site: it would leak into every finding', () => {
    const leaky = () => engine.classifySite({ observed_at, site: { ...site, refuge_facilities_occupied: true }, findings: [crowdedElements[1]!] });
    expect(leaky).toThrow(/site: "refuge_facilities_occupied" is an observation fact/);
  });

  it('uses an exemption fact given with a finding instead of reporting it missing', () => {
    const { site_closed_or_out_of_use: _omitted, ...rest } = site;
    const open = engine.classifySite({ observed_at, site: rest, findings: crowdedElements });
    expect(open.level).toBe('undetermined');
    expect(open.missing.map((m) => m.rule)).toContain('5.1.3b');
    const closed = engine.classifySite({
      observed_at,
      site: rest,
      findings: [...crowdedElements, { id: 'closed', facts: { refuge_facilities_occupied: true, correctable_immediately: false }, context: { site_closed_or_out_of_use: true } }],
    });
    expect(closed).toMatchObject({ level: 'not_major', path: 'exemption', exemption: '5.1.3b' });
  });

  it('refuses findings that disagree on a context fact of the site', () => {
    const { site_closed_or_out_of_use: _omitted, ...rest } = site;
    const disagree = () =>
      engine.classifySite({
        observed_at,
        site: rest,
        findings: [
          { id: 'a', facts: crowdedElements[0]!.facts, context: { site_closed_or_out_of_use: true } },
          { id: 'b', facts: crowdedElements[1]!.facts, context: { site_closed_or_out_of_use: false } },
        ],
      });
    expect(disagree).toThrow(/findings a and b give "site_closed_or_out_of_use" different values/);
  });
});
