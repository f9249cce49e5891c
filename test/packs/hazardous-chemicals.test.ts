/**
 * The hazardous-chemicals packs: 安监总管三〔2017〕121号 (2017 list, 20 items) and AQ 3067—2026
 * (53 clauses). Item for item against the reference, the reference's text status carried into
 * every rule, the crosswalk as data, one vocabulary across the editions, and the changeover of
 * 2026-09-30 (the same facts judged by different editions).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createEngine } from '../../src/index.js';
import type { Fact } from '../../src/pack/schema.js';
import { findingArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';
import { params } from '../helpers/properties.js';

const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');
const REFERENCE = join(REFERENCES, 'hazardous-chemicals.md');
const FILE_2017 = join(ROOT, 'rules', 'hazardous-chemicals', '2017.yaml');
const FILE_2026 = join(ROOT, 'rules', 'hazardous-chemicals', '2026.yaml');
const EXAMPLES = join(ROOT, 'examples', 'hazardous-chemicals.ndjson');

const p2017 = compiled(FILE_2017);
const p2026 = compiled(FILE_2026);
const rules2017 = p2017.source.rules;
const rules2026 = p2026.source.rules;

/**
 * Findings drawn from a pack's vocabulary, kept within the facts' declared bounds: the arbitrary's
 * step "one below the compared fact" can leave a bounded fact below its min (reported upstream).
 */
function boundedFinding(pack: typeof p2017, options: Parameters<typeof findingArbitrary>[1]) {
  const facts = pack.source.facts;
  return findingArbitrary(pack, options).filter((f) =>
    Object.entries(f.facts).every(([name, value]) => {
      const fact = facts[name];
      if (!fact || typeof value !== 'number') return true;
      return !(fact.min !== undefined && value < fact.min) && !(fact.max !== undefined && value > fact.max);
    }),
  );
}

/** The reference split into Part A (AQ 3067—2026) and Part B (the 2017 list). */
function parts(): { a: string; b: string } {
  const text = readFileSync(REFERENCE, 'utf8');
  const a = text.indexOf('# Part A — AQ 3067');
  const b = text.indexOf('# Part B — ');
  return { a: text.slice(a, b), b: text.slice(b) };
}

/** Part A's clause sections (`### 5.x.y …` up to the next heading). */
function clauseSections(): Map<string, string> {
  const { a } = parts();
  const sections = new Map<string, string>();
  const headings = [...a.matchAll(/^### (5\.\d+\.\d+) .*$/gm)];
  headings.forEach((m, i) => {
    const end = i + 1 < headings.length ? headings[i + 1]!.index : a.indexOf('\n## ', m.index + 1);
    sections.set(m[1]!, a.slice(m.index, end === -1 ? undefined : end));
  });
  return sections;
}

describe('hazardous-chemicals 2017 (安监总管三〔2017〕121号)', () => {
  it('has one rule per item 一…二十, CHEM2017-01 … CHEM2017-20, each VERBATIM-2', () => {
    expect(rules2017.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `CHEM2017-${String(i + 1).padStart(2, '0')}`));
    expect(rules2017.every((r) => r.provenance === 'verbatim-2' && !r.unverified)).toBe(true);
    expect(p2017.source.standard.effective_to).toBe('2026-09-30');
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item: every citation once, in order, its text verbatim', () => {
    const { b } = parts();
    const cited = [...b.matchAll(/^### [一二三四五六七八九十]+ \((CHEM2017-\d{2})\)\n> (.+)$/gm)].map((m) => ({ id: m[1], text: m[2] }));
    expect(cited).toHaveLength(20);
    expect(rules2017.map((r) => ({ id: r.id, text: r.text }))).toEqual(cited);
  });
});

describe('hazardous-chemicals 2026 (AQ 3067—2026)', () => {
  it('starts where the 2017 list ends and names it as superseded', () => {
    expect(p2026.source.standard.effective_from).toBe(p2017.source.standard.effective_to);
    expect(p2026.source.standard.supersedes).toBe(p2017.id);
    expect(p2026.standard).toBe(p2017.standard);
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference clause for clause: 53 citations 5.1.1 … 5.7.7, each once, in order, nothing extra', () => {
    const cited = [...clauseSections().keys()];
    expect(cited).toHaveLength(53);
    expect(rules2026.map((r) => r.clause)).toEqual(cited);
    expect(rules2026.map((r) => r.id)).toEqual(cited.map((c) => `AQ3067-${c}`));
    // Seven groups with the reference's counts: 5, 10, 6, 9, 12, 4, 7.
    const perGroup = [1, 2, 3, 4, 5, 6, 7].map((g) => rules2026.filter((r) => r.clause.startsWith(`5.${g}.`)).length);
    expect(perGroup).toEqual([5, 10, 6, 9, 12, 4, 7]);
  });

  it.skipIf(!existsSync(REFERENCE))("carries the reference's status: every [UNVERIFIED] clause unverified, no rule claims more than one witness", () => {
    const sections = clauseSections();
    const reconstructions = [...sections].filter(([, s]) => /^TEXT: \[UNVERIFIED\]/m.test(s)).map(([c]) => c);
    expect(reconstructions).toEqual(['5.2.2', '5.2.8', '5.2.10', '5.3.4', '5.3.6', '5.4.7', '5.4.8', '5.4.9', '5.5.8', '5.5.11']);
    for (const rule of rules2026) {
      expect(['verbatim-1', 'unverified'], rule.id).toContain(rule.provenance);
      expect(rule.unverified === true, rule.id).toBe(rule.provenance === 'unverified');
      if (rule.unverified) expect(rule.note, rule.id).toMatch(/\[UNVERIFIED\]/);
      // A VERBATIM-1 rule's clause is VERBATIM-1 in the reference.
      if (rule.provenance === 'verbatim-1') expect(sections.get(rule.clause), rule.id).toMatch(/TEXT STATUS: VERBATIM-1/);
    }
    for (const clause of reconstructions) expect(rules2026.find((r) => r.clause === clause)?.provenance, clause).toBe('unverified');
    // Clauses whose encoded condition includes a reconstructed limb, and 5.1.2's ambiguous logic.
    for (const clause of ['5.1.2', '5.3.3', '5.3.5', '5.5.7', '5.7.3', '5.7.6']) {
      expect(rules2026.find((r) => r.clause === clause)?.unverified, clause).toBe(true);
    }
  });

  it('5.1.2 follows the reference note (degree OR title; hazard when a person has neither) and says so', () => {
    const rule = rules2026.find((r) => r.clause === '5.1.2')!;
    expect(rule.note).toMatch(/degree OR title/);
    expect(rule.note).toMatch(/NEITHER/);
    const engine = createEngine({ packs: [FILE_2026] });
    const base = { enterprise_role: ['chemical_producer'], involves_key_supervised_process: true, person_role: 'principal' };
    const judge = (degree: boolean, title: boolean) =>
      engine.classify({ standard: 'hazardous-chemicals', observed_at: '2026-10-01', facts: { ...base, has_relevant_degree_college_or_above: degree, has_chemical_title_intermediate_or_above: title } });
    expect(judge(false, false).level).toBe('major');
    expect(judge(true, false).level).toBe('general');
    expect(judge(false, true).level).toBe('general');
    expect(judge(true, false).caveats).toContainEqual(expect.objectContaining({ kind: 'unverified-rule', rule: 'AQ3067-5.1.2' }));
  });

  it('no PRECURSOR text is encoded as a clause', () => {
    const precursors = ['或者化工类中级及以上职称', '新入职的主要负责人', '同一装置区内一般应为2人', '严禁与处置无关的人员进入作业区域'];
    for (const rule of rules2026) for (const p of precursors) expect(rule.text.includes(p), `${rule.id}: ${p}`).toBe(false);
  });

  it('every match says how its text is known; every verdict short of major names the clauses it rests on', () => {
    const engine = createEngine({ packs: [FILE_2026] });
    const unverified = engine.classify({ standard: 'hazardous-chemicals', observed_at: '2026-10-01', facts: { stores_liquid_chlorine: true, chlorine_storage_building_enclosed: false } });
    expect(unverified.level).toBe('major');
    expect(unverified.matches[0]).toMatchObject({ rule: 'AQ3067-5.4.9', unverified: true, provenance: 'unverified' });
    const single = engine.classify({ standard: 'hazardous-chemicals', observed_at: '2026-10-01', facts: { production_area_workers_without_induction: 3 } });
    expect(single.matches[0]).toMatchObject({ rule: 'AQ3067-5.6.4', unverified: false, provenance: 'verbatim-1' });
    const general = engine.classify({ standard: 'hazardous-chemicals', observed_at: '2026-10-01', facts: { production_area_workers_without_induction: 0 } });
    expect(general.level).toBe('general');
    expect(general.caveats).toContainEqual(expect.objectContaining({ kind: 'single-witness-rule', rule: 'AQ3067-5.6.4' }));
  });

  it('property: every match on an AQ 3067 rule carries the rule\'s status', () => {
    const engine = createEngine({ packs: [FILE_2026] });
    const byId = new Map(rules2026.map((r) => [r.id, r]));
    fc.assert(
      fc.property(boundedFinding(p2026, { observedAt: '2026-10-01' }), (finding) => {
        const verdict = engine.classify(finding);
        for (const m of verdict.matches) {
          const rule = byId.get(m.rule)!;
          expect(m.unverified).toBe(rule.unverified === true);
          expect(m.provenance).toBe(rule.provenance);
        }
        if (verdict.level !== 'major') {
          for (const c of verdict.caveats) if (c.kind === 'unverified-rule') expect(byId.get(c.rule)?.unverified).toBe(true);
        }
      }),
      params(300),
    );
  });

  it('property: 5.7.4-a is met above 6 persons, never at or below (「超过6人」)', () => {
    const engine = createEngine({ packs: [FILE_2026] });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (persons) => {
        const verdict = engine.classify({
          standard: 'hazardous-chemicals',
          observed_at: '2026-10-01',
          facts: { abnormal_condition_handling_in_progress: true, persons_in_unit_area_during_handling: persons, unrelated_persons_at_handling_site: false, is_fine_chemical_building: false },
        });
        expect(verdict.level).toBe(persons > 6 ? 'major' : 'general');
      }),
      params(100),
    );
  });
});

describe('the crosswalk 2017 → AQ 3067—2026', () => {
  const ids2017 = new Set(rules2017.map((r) => r.id));
  const successors = new Map<string, string[]>();
  for (const rule of rules2026) for (const old of rule.supersedes ?? []) successors.set(old, [...(successors.get(old) ?? []), rule.clause]);
  const dropped = (p2026.source.dropped ?? []).map((d) => d.rule);

  it('names every 2017 item once: carried on (supersedes) or dropped, never both, nothing unknown', () => {
    for (const id of [...successors.keys(), ...dropped]) expect(ids2017.has(id), id).toBe(true);
    expect(new Set(dropped).size).toBe(dropped.length);
    for (const id of ids2017) {
      const named = (successors.has(id) ? 1 : 0) + dropped.filter((d) => d === id).length;
      expect(named, id).toBe(1);
    }
    expect(dropped).toEqual(['CHEM2017-13']);
  });

  it.skipIf(!existsSync(REFERENCE))("is the reference's crosswalk table, row for row", () => {
    const text = readFileSync(REFERENCE, 'utf8');
    const table = text.slice(text.indexOf('## Crosswalk 2017 → AQ 3067'), text.indexOf('# Part B — '));
    const rows = [...table.matchAll(/^\| (\d{2}) [^|]*\| ([^|]*) \|/gm)];
    expect(rows).toHaveLength(20);
    for (const [, item, cell] of rows) {
      const id = `CHEM2017-${item}`;
      if (/related/.test(cell!)) {
        expect(dropped, id).toContain(id);
        continue;
      }
      const clauses: string[] = [];
      for (const m of cell!.matchAll(/5\.(\d+)\.(\d+)(?:–5\.\1\.(\d+))?/g)) {
        const last = m[3] ? Number(m[3]) : Number(m[2]);
        for (let n = Number(m[2]); n <= last; n++) clauses.push(`5.${m[1]}.${n}`);
      }
      expect((successors.get(id) ?? []).sort(), id).toEqual(clauses.sort());
    }
  });
});

describe('one vocabulary across the two editions', () => {
  const meaning = (f: Fact) => JSON.stringify({ type: f.type, kind: f.kind, unit: f.unit ?? null, values: f.values ? [...f.values].sort() : null, min: f.min ?? null, max: f.max ?? null });
  const shared = parse(readFileSync(join(ROOT, 'rules', 'vocabulary', 'shared.yaml'), 'utf8')) as { facts: Record<string, Fact> };

  it('a fact name in both editions has the same type, kind, unit, values and bounds', () => {
    const a = p2017.source.facts;
    const b = p2026.source.facts;
    const common = Object.keys(a).filter((n) => n in b);
    expect(common.length).toBeGreaterThan(40);
    expect(common.filter((n) => meaning(a[n]!) !== meaning(b[n]!))).toEqual([]);
  });

  it('context facts shared with other standards use the shared names and meanings', () => {
    for (const name of ['major_hazard_source_level', 'involves_key_supervised_process', 'involves_key_supervised_chemical', 'in_use_at_inspection']) {
      for (const pack of [p2017, p2026]) {
        const fact = pack.source.facts[name];
        if (!fact) continue;
        expect({ type: fact.type, kind: fact.kind, values: fact.values ?? null }, `${pack.id} ${name}`).toEqual({ type: shared.facts[name]!.type, kind: shared.facts[name]!.kind, values: shared.facts[name]!.values ?? null });
      }
    }
  });
});

describe('the changeover of 2026-09-30 and the real findings (examples/hazardous-chemicals.ndjson)', () => {
  const findings = readFileSync(EXAMPLES, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; observed_at: string; facts: Record<string, unknown> });
  const engine = createEngine({ packs: [FILE_2017, FILE_2026] });
  const verdict = (id: string) => engine.classify(findings.find((f) => f.id === id)!);

  it('pairs the same facts on 2026-09-29 and 2026-09-30', () => {
    const pairs = findings.filter((f) => /^HC-CHG-\d+a$/.test(f.id));
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    for (const before of pairs) {
      const after = findings.find((f) => f.id === before.id.replace(/a$/, 'b'))!;
      expect(before.observed_at).toBe('2026-09-29');
      expect(after.observed_at).toBe('2026-09-30');
      expect(after.facts).toEqual(before.facts);
      expect(engine.classify(before).pack.id).toBe('hazardous-chemicals-2017');
      expect(engine.classify(after).pack.id).toBe('hazardous-chemicals-2026');
    }
  });

  it.each([
    ['HC-CHG-01a', 'major', ['CHEM2017-07']],
    ['HC-CHG-01b', 'general', []],
    ['HC-CHG-02a', 'major', ['CHEM2017-02']],
    ['HC-CHG-02b', 'major', ['AQ3067-5.1.4']],
    ['HC-CHG-03a', 'major', ['CHEM2017-08']],
    ['HC-CHG-03b', 'general', []],
    ['HC-CHG-04a', 'major', ['CHEM2017-06']],
    ['HC-CHG-04b', 'undetermined', []],
    ['HC-REAL-01', 'major', ['CHEM2017-04']],
    ['HC-REAL-02', 'major', ['CHEM2017-13']],
    ['HC-REAL-03', 'major', ['CHEM2017-12']],
  ] as const)('%s is %s', (id, level, rules) => {
    const v = verdict(id);
    expect(v.level).toBe(level);
    expect(v.matches.map((m) => m.rule)).toEqual(rules);
  });

  it('a verdict of the new edition says which (single-witness or reconstructed) clause it rests on', () => {
    expect(verdict('HC-CHG-01b').caveats).toContainEqual(expect.objectContaining({ kind: 'single-witness-rule', rule: 'AQ3067-5.4.4' }));
    expect(verdict('HC-CHG-03b').caveats).toContainEqual(expect.objectContaining({ kind: 'single-witness-rule', rule: 'AQ3067-5.2.4' }));
    const open = verdict('HC-CHG-04b');
    expect(open.missing).toContainEqual(expect.objectContaining({ rule: 'AQ3067-5.4.7', facts: ['tank_is_spherical'] }));
    expect(open.caveats).toContainEqual(expect.objectContaining({ kind: 'unverified-rule', rule: 'AQ3067-5.4.7' }));
  });

  it('property: findings on shared facts are judged by the 2017 list up to 2026-09-29 and by AQ 3067 from 2026-09-30', () => {
    const common = Object.keys(p2017.source.facts).filter((n) => n in p2026.source.facts);
    const day = fc.constantFrom('2017-11-13', '2024-01-01', '2026-09-29', '2026-09-30', '2026-10-01', '2030-01-01');
    fc.assert(
      fc.property(boundedFinding(p2017, { facts: common }), day, (finding, observed_at) => {
        const { pack: _pinned, ...unpinned } = finding;
        const v = engine.classify({ ...unpinned, observed_at });
        expect(v.pack.id).toBe(observed_at < '2026-09-30' ? 'hazardous-chemicals-2017' : 'hazardous-chemicals-2026');
      }),
      params(200),
    );
  });
});
