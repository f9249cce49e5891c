/**
 * The 2026 coal-mine pack (应急管理部令第21号) against its reference, item for item; its crosswalk
 * to the 2020 edition; and the scope properties: a low-gas finding never matches a rule for
 * outburst mines only, an open-pit finding never an underground-only rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition } from '../../src/pack/schema.js';
import { factsArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';

const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');
const FILE = join(ROOT, 'rules', 'coal-mine', '2026.yaml');
const OLDER = join(ROOT, 'rules', 'coal-mine', '2020.yaml');
const pack = compiled(FILE);
const rules = pack.source.rules;

const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
/** 一 … 二十一 as a number. */
function cn(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + CN[s[1]!]!;
  if (s.length === 2 && s.endsWith('十')) return CN[s[0]!]! * 10;
  if (s.includes('十')) return CN[s[0]!]! * 10 + CN[s[2]!]!;
  return CN[s]!;
}

/** Every citation of 第四条–第二十条 in reference order: items （X）, sub-items k, third level （m）. */
function referenceCitations(reference: string): string[] {
  const out: string[] = [];
  let article: string | undefined;
  let item: string | undefined;
  let sub: string | undefined;
  for (const line of reference.split('\n')) {
    const a = /^### 第(.+?)条/.exec(line);
    if (a) {
      article = cn(a[1]!) >= 4 && cn(a[1]!) <= 20 ? a[1] : undefined;
      item = sub = undefined;
      continue;
    }
    if (!article) continue;
    let m: RegExpExecArray | null;
    if ((m = /^（([一二三四五六七八九十]+)）/.exec(line))) {
      item = m[1];
      sub = undefined;
      out.push(`第${article}条（${item}）`);
    } else if (item && (m = /^(\d+)\. /.exec(line))) {
      sub = m[1];
      out.push(`第${article}条（${item}）${sub}`);
    } else if (sub && (m = /^（(\d+)）/.exec(line))) {
      out.push(`第${article}条（${item}）${sub}（${m[1]}）`);
    }
  }
  return out;
}

/** Is citation d below citation c (第十一条（七） → 第十一条（七）10, but not 第十一条（七）1 → …10)? */
function within(c: string, d: string): boolean {
  if (!d.startsWith(c) || d === c) return false;
  const rest = d.slice(c.length);
  return c.endsWith('）') && !/\d（\d+）$/.test(c) ? /^\d+(（\d+）)?$/.test(rest) : /^（\d+）$/.test(rest);
}

/** Generated values kept inside the pack's declared bounds (ties between compared facts can step below a minimum). */
function bounded(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    const min = pack.source.facts[name]?.min;
    out[name] = typeof value === 'number' && min !== undefined && value < min ? min : value;
  }
  return out;
}

describe('the coal-mine 2026 pack', () => {
  it('is the 2026 edition, meeting the 2020 one on 2026-07-01', () => {
    expect(pack.id).toBe('coal-mine-2026');
    expect(pack.source.standard.id).toBe('coal-mine');
    expect(pack.source.standard.effective_from).toBe('2026-07-01');
    expect(pack.source.standard.supersedes).toBe('coal-mine-2020');
  });

  it('ids follow the clause numbering (第六条（二）3（1） → CM2026-6-2-3-1)', () => {
    for (const r of rules) {
      const m = /^第(.+?)条（(.+?)）(\d+)?(?:（(\d+)）)?$/.exec(r.clause)!;
      expect(m, r.clause).toBeTruthy();
      const parts = [cn(m[1]!), cn(m[2]!), m[3], m[4]].filter((p) => p !== undefined);
      expect(r.id).toBe(`CM2026-${parts.join('-')}`);
    }
  });

  it.skipIf(!existsSync(REFERENCES))('matches the reference item for item: every situation and sub-item once, in order, nothing extra', () => {
    const citations = referenceCitations(readFileSync(join(REFERENCES, 'coal-mine.md'), 'utf8'));
    // 123 situations, 63 numbered sub-items, 10 third-level sub-items (reference, Structure notes).
    expect(citations.filter((c) => /）$/.test(c) && !/\d（\d+）$/.test(c))).toHaveLength(123);
    expect(citations.filter((c) => /\d$/.test(c))).toHaveLength(63);
    expect(citations.filter((c) => /\d（\d+）$/.test(c))).toHaveLength(10);
    // One rule per citation at the finest level: a citation with sub-items is covered by them.
    const leaves = citations.filter((c) => !citations.some((d) => within(c, d)));
    expect(rules.map((r) => r.clause)).toEqual(leaves);
    for (const c of citations) {
      const covering = rules.filter((r) => r.clause === c || within(c, r.clause));
      expect(covering.length, c).toBeGreaterThan(0);
    }
    // A rule's text is its own line, after the lead lines of its parents.
    const reference = readFileSync(join(REFERENCES, 'coal-mine.md'), 'utf8');
    for (const r of rules) {
      const lines = r.text.split('\n');
      expect(lines.length, r.id).toBe(/\d（\d+）$/.test(r.clause) ? 3 : /\d$/.test(r.clause) ? 2 : 1);
      for (const line of lines) expect(reference.includes(line), `${r.id}: ${line}`).toBe(true);
    }
  });

  it('carries provenance verbatim-1 on every rule (single full-text witness)', () => {
    expect(rules.filter((r) => r.provenance !== 'verbatim-1').map((r) => r.id)).toEqual([]);
  });

  it('declares all seven tables of the text (表1–表7)', () => {
    const printed = new Set(Object.values(pack.source.tables ?? {}).map((t) => /^表(\d)/.exec(t.label)?.[1]));
    expect([...printed].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });
});

describe('the crosswalk 2020 → 2026', () => {
  const superseded = rules.flatMap((r) => r.supersedes ?? []);
  const dropped = (pack.source.dropped ?? []).map((d) => d.rule);

  it.skipIf(!existsSync(REFERENCES))('names every 2020 situation of the reference once, in supersedes or dropped', () => {
    // The 2020 reference's 81 situations （X） of 第四条–第十八条 → ids CM2020-NN-XX.
    const reference = readFileSync(join(REFERENCES, 'coal-mine-2020.md'), 'utf8');
    const ids: string[] = [];
    let article = 0;
    for (const line of reference.split('\n')) {
      const a = /^### 第(.+?)条/.exec(line);
      if (a) article = cn(a[1]!);
      const m = /^（([一二三四五六七八九十]+)）/.exec(line);
      if (m && article >= 4 && article <= 18) ids.push(`CM2020-${String(article).padStart(2, '0')}-${String(cn(m[1]!)).padStart(2, '0')}`);
    }
    expect(new Set(ids).size).toBe(81);
    expect([...new Set(superseded)].filter((id) => dropped.includes(id))).toEqual([]);
    expect([...new Set([...superseded, ...dropped])].sort()).toEqual([...new Set(ids)].sort());
    expect(new Set(dropped).size).toBe(dropped.length);
  });

  it.skipIf(!existsSync(OLDER))('names every rule of the 2020 pack once, in supersedes or dropped', () => {
    const older = compiled(OLDER).source.rules.map((r) => r.id);
    expect([...new Set([...superseded, ...dropped])].sort()).toEqual([...older].sort());
    expect([...new Set(superseded)].filter((id) => dropped.includes(id))).toEqual([]);
  });
});

/** Does a scope condition admit only the given values of a context fact? */
function onlyFor(condition: Condition | undefined, fact: string, values: string[]): boolean {
  if (!condition) return false;
  if ('all' in condition) return condition.all.some((c) => onlyFor(c, fact, values));
  if ('any' in condition) return condition.any.length > 0 && condition.any.every((c) => onlyFor(c, fact, values));
  if ('not' in condition) return false;
  if (condition.fact !== fact) return false;
  if (condition.operator === 'equal') return values.includes(condition.value as string);
  if (condition.operator === 'in') return (condition.value as string[]).every((v) => values.includes(v));
  return false;
}

describe('scope properties', () => {
  const engine = createEngine({ packs: [FILE] });
  const outburstOnly = new Set(rules.filter((r) => onlyFor(r.applies_when, 'gas_class', ['outburst'])).map((r) => r.id));
  const undergroundOnly = new Set(rules.filter((r) => onlyFor(r.applies_when, 'mine_type', ['underground'])).map((r) => r.id));

  it('knows which rules are scoped (第六条 to outburst mines; 第十四条（三） to underground mines)', () => {
    expect([...outburstOnly].every((id) => id.startsWith('CM2026-6-'))).toBe(true);
    expect(outburstOnly.size).toBe(rules.filter((r) => r.id.startsWith('CM2026-6-')).length);
    expect([...undergroundOnly].sort()).toEqual(['CM2026-14-3-1', 'CM2026-14-3-2']);
  });

  const arbitrary = factsArbitrary(pack);
  const matchedBy = (facts: Record<string, unknown>) =>
    engine.classify({ standard: 'coal-mine', observed_at: '2026-07-01', facts } as never).matches.map((m) => m.rule);

  it('a finding for a low-gas mine never matches a rule that applies only to outburst mines', () => {
    fc.assert(
      fc.property(arbitrary, (facts) => {
        const matched = matchedBy({ ...bounded(facts), gas_class: 'low_gas' });
        expect(matched.filter((id) => outburstOnly.has(id))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a finding for an open-pit mine never matches an underground-only rule', () => {
    fc.assert(
      fc.property(arbitrary, (facts) => {
        const matched = matchedBy({ ...bounded(facts), mine_type: 'open_pit' });
        expect(matched.filter((id) => undergroundOnly.has(id))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the same outburst-rule finding matches once the mine is an outburst mine (the property is not vacuous)', () => {
    const facts = { mining_in_area: true, regional_prediction_done: false, directly_deemed_risk_or_direct_measures: false };
    expect(matchedBy({ ...facts, gas_class: 'outburst' })).toContain('CM2026-6-1-1');
    expect(matchedBy({ ...bounded(facts), gas_class: 'low_gas' })).not.toContain('CM2026-6-1-1');
    const sensor = { methane_sensor_location: 'longwall_return', methane_sensor_installed: false };
    expect(matchedBy({ ...sensor, mine_type: 'underground' })).toContain('CM2026-14-3-1');
    expect(matchedBy({ ...sensor, mine_type: 'open_pit' })).not.toContain('CM2026-14-3-1');
  });
});
