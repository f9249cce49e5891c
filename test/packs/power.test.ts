/**
 * 电力重大事故隐患判定标准及治理监督管理规定 (国家发展改革委令2026年第41号): the pack against its
 * reference item for item; 第三十五条 (「以上」「超过」 inclusive); the discretionary catch-all
 * 第十四条 as a property (never major on its own); no edition before 2026-07-01.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition } from '../../src/pack/schema.js';
import { factsArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';

const FILE = join(ROOT, 'rules', 'power', '2026.yaml');
const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'standards', 'power.md');
const pack = compiled(FILE);
const rules = pack.source.rules;
const CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const cn = (s: string): number => (s.length === 1 ? CN[s]! : s.startsWith('十') ? 10 + (s.length > 1 ? CN[s[1]!]! : 0) : CN[s[0]!]! * 10 + (s.length > 2 ? CN[s[2]!]! : 0));

/** The criteria of the reference: the numbered items of 第五—十三条 and 第十四条 as a whole. */
function referenceCriteria(): Array<{ clause: string; id: string; text: string }> {
  const articles: Array<{ article: string; n: number; line: string; items: string[] }> = [];
  for (const line of readFileSync(REFERENCE, 'utf8').split('\n')) {
    const a = /^> (第([一二三四五六七八九十]+)条)\s/.exec(line);
    if (a) articles.push({ article: a[1]!, n: cn(a[2]!), line: line.slice(2), items: [] });
    else if (/^> （[一二三四五六七八九十]+）/.test(line)) articles.at(-1)!.items.push(line.slice(2));
  }
  expect(articles.map((a) => a.n)).toEqual(Array.from({ length: 38 }, (_, i) => i + 1));
  const out: Array<{ clause: string; id: string; text: string }> = [];
  for (const { article, n, line, items } of articles) {
    if (n < 5 || n > 14) continue;
    if (n === 14) {
      expect(items).toEqual([]);
      out.push({ clause: article, id: 'PW26-14', text: line });
      continue;
    }
    for (const item of items) {
      const i = /^（([一二三四五六七八九十]+)）/.exec(item)![1]!;
      out.push({ clause: `${article}（${i}）`, id: `PW26-${n}-${cn(i)}`, text: `${line}\n${item}` });
    }
  }
  return out;
}

const leaves = (c: Condition | undefined): Array<{ fact: string; operator: string; value: unknown }> => {
  if (!c) return [];
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  if ('not' in c) return leaves(c.not);
  return [c];
};

describe('the power pack (国家发展改革委令2026年第41号)', () => {
  it('is the standard power, in force from 2026-07-01 with no end and no predecessor pack', () => {
    expect(pack.id).toBe('power-2026');
    expect(pack.standard).toBe('power');
    expect(pack.effectiveFrom).toBe('2026-07-01');
    expect(pack.effectiveTo).toBeUndefined();
    expect(pack.source.standard.supersedes).toBeUndefined();
  });

  it.skipIf(!existsSync(REFERENCE))('has one rule per criterion: 48 numbered items of 第五—十三条 + 第十四条, in order, verbatim', () => {
    const criteria = referenceCriteria();
    expect(criteria).toHaveLength(49);
    const perArticle = new Map<string, number>();
    for (const c of criteria) perArticle.set(c.clause.replace(/（.*$/, ''), (perArticle.get(c.clause.replace(/（.*$/, '')) ?? 0) + 1);
    expect([...perArticle.values()]).toEqual([10, 5, 5, 4, 4, 8, 5, 3, 4, 1]);
    expect(rules.map((r) => r.clause)).toEqual(criteria.map((c) => c.clause));
    expect(rules.map((r) => r.id)).toEqual(criteria.map((c) => c.id));
    expect(rules.map((r) => r.text)).toEqual(criteria.map((c) => c.text));
  });

  it('carries the reference status VERBATIM-1 on every rule', () => {
    for (const rule of rules) expect(rule.provenance, rule.id).toBe('verbatim-1');
  });

  describe('第三十五条: 「以上」「超过」 include the number, 「以下」 excludes it', () => {
    it('says so in the header note and in the note of every rule whose text has 以上 or 超过 with a number', () => {
      expect(pack.source.standard.note).toMatch(/第三十五条/);
      const numbered = rules.filter((r) => /\d[^，；。]*?(以上|超过)|(超过|达到)\d/.test(r.text));
      expect(numbered.length).toBeGreaterThan(10);
      for (const rule of numbered) expect(rule.note ?? '', rule.id).toMatch(/第三十五条/);
    });

    it('compares every printed threshold with ≥; the only strict comparisons are head-counts above 0', () => {
      const strict = rules.flatMap((r) => [...leaves(r.applies_when), ...leaves(r.when), ...leaves(r.unless)].filter((l) => l.operator === 'greaterThan').map((l) => `${r.id} ${l.fact} ${String(l.value)}`));
      expect(strict).toEqual(['PW26-10-7 hot_work_operators_without_qualification 0', 'PW26-13-1 special_operation_workers_without_valid_certificate 0']);
      const below = rules.flatMap((r) => [...leaves(r.applies_when), ...leaves(r.when)].filter((l) => l.operator === 'lessThan' || l.operator === 'lessThanInclusive'));
      expect(below).toEqual([]);
    });

    it('reads 「50米以上」 as ≥ 50 m and 「50米以下」 as < 50 m in the tower tables', () => {
      for (const name of ['tower_tilt_limit_uhv_permille', 'tower_tilt_limit_660_750_permille']) {
        expect(pack.source.tables![name]!.rows.map((r) => r.range)).toEqual(['H＜50', 'H≥50']);
      }
    });
  });

  const engine = createEngine({ packs: [FILE] });
  const judge = (facts: Record<string, unknown>, observed_at = '2026-08-01') => engine.classify({ standard: 'power', observed_at, facts });

  describe('property: the discretionary catch-all 第十四条 never matches on its own', () => {
    it('without a recorded determination of the authority it never matches, whatever else is recorded', () => {
      fc.assert(
        fc.property(factsArbitrary(pack), fc.constantFrom(undefined, false), (facts, determination) => {
          const f = { ...facts };
          if (determination === undefined) delete f.authority_determined_major_under_article_14;
          else f.authority_determined_major_under_article_14 = determination;
          const verdict = judge(f);
          expect(verdict.matches.map((m) => m.rule)).not.toContain('PW26-14');
          expect(verdict.missing.map((m) => m.rule)).not.toContain('PW26-14');
        }),
        { numRuns: 500 },
      );
    });

    it('with the determination it matches exactly when a serious breach or a possible severe consequence is recorded', () => {
      fc.assert(
        fc.property(factsArbitrary(pack), (facts) => {
          const f: Record<string, unknown> = { ...facts, authority_determined_major_under_article_14: true };
          const matched = judge(f).matches.some((m) => m.rule === 'PW26-14');
          expect(matched).toBe(f.serious_breach_of_power_safety_rules === true || f.severe_consequence_possible === true);
        }),
        { numRuns: 500 },
      );
    });

    it('a serious breach alone is general, and the verdict says the discretion was assumed not exercised', () => {
      const verdict = judge({ serious_breach_of_power_safety_rules: true, severe_consequence_possible: true });
      expect(verdict.level).toBe('general');
      expect(verdict.assumptions).toEqual([expect.objectContaining({ rule: 'PW26-14', fact: 'authority_determined_major_under_article_14', value: false })]);
    });
  });

  describe('the changeover: the 2022 trial standard is not encoded', () => {
    const facts = { current_type: 'ac', voltage_kv: 1000, tower_full_height_m: 60, tower_body_tilt_permille: 10 };
    it('a finding of 2026-06-30 gets the no-edition error, not a verdict', () => {
      expect(() => judge(facts, '2026-06-30')).toThrow(/no encoded edition of standard "power" is in force on 2026-06-30/);
    });
    it('the same finding of 2026-07-01 is judged by power-2026', () => {
      const verdict = judge(facts, '2026-07-01');
      expect(verdict.pack.id).toBe('power-2026');
      expect(verdict.matches.map((m) => m.rule)).toEqual(['PW26-5-9']);
    });
  });

  it('says in its header note that the chemical, fire and special-equipment criteria take precedence (第三条)', () => {
    expect(pack.source.standard.note).toMatch(/第三条/);
    expect(pack.source.standard.note).toMatch(/GB 45067/);
  });
});
