/**
 * 城镇燃气经营安全重大隐患判定标准 建城规〔2023〕4号: the pack against its reference, item for
 * item, the provenance the reference gives, and the catch-all (第十条) as a property.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { factsArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';

const FILE = join(ROOT, 'rules', 'town-gas', '2023.yaml');
const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'standards', 'town-gas.md');
const pack = compiled(FILE);
const rules = pack.source.rules;
const NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11 };

/** The criteria of the reference: numbered items of 第四—九条, and 第八条 / 第十条 as wholes. */
function referenceCriteria(): Array<{ clause: string; id: string; text: string }> {
  const lines = readFileSync(REFERENCE, 'utf8').split('\n');
  const articles: Array<{ article: string; line: string; items: string[] }> = [];
  for (const line of lines) {
    const a = /^> (第([一二三四五六七八九十]+)条)　/.exec(line);
    if (a) articles.push({ article: a[1]!, line: line.slice(2), items: [] });
    else if (/^> （[一二三四五六七八九十]+）/.test(line)) articles.at(-1)!.items.push(line.slice(2));
  }
  expect(articles.map((a) => a.article)).toEqual(['第一条', '第二条', '第三条', '第四条', '第五条', '第六条', '第七条', '第八条', '第九条', '第十条', '第十一条']);
  const criteria: Array<{ clause: string; id: string; text: string }> = [];
  for (const { article, line, items } of articles) {
    const n = NUM[article.slice(1, -1)]!;
    if (n < 4 || n > 10) continue; // 第一—三条 and 第十一条 are not criteria
    if (items.length === 0) criteria.push({ clause: article, id: `TG23-${n}`, text: line });
    for (const item of items) {
      const i = /^（([一二三四五六七八九十]+)）/.exec(item)![1]!;
      criteria.push({ clause: `${article}（${i}）`, id: `TG23-${n}-${NUM[i]}`, text: `${line}\n${item}` });
    }
  }
  return criteria;
}

describe('the town-gas pack (建城规〔2023〕4号)', () => {
  it('is the standard town-gas, in force from its issue (2023-09-21 taken; the date conflict is stated)', () => {
    expect(pack.id).toBe('town-gas-2023');
    expect(pack.standard).toBe('town-gas');
    expect(pack.effectiveFrom).toBe('2023-09-21');
    expect(pack.effectiveTo).toBeUndefined();
    expect(pack.source.standard.note).toMatch(/2023-09-08/);
    expect(pack.source.standard.note).toMatch(/2023-09-21/);
    expect(pack.source.standard.note).toMatch(/CONFLICT/);
  });

  it.skipIf(!existsSync(REFERENCE))('has one rule per criterion of the reference (22), in order, verbatim, nothing extra', () => {
    const criteria = referenceCriteria();
    expect(criteria).toHaveLength(22);
    expect(rules.map((r) => r.clause)).toEqual(criteria.map((c) => c.clause));
    expect(rules.map((r) => r.id)).toEqual(criteria.map((c) => c.id));
    expect(rules.map((r) => r.text)).toEqual(criteria.map((c) => c.text));
  });

  it('carries the status the reference gives (the weaker of lead line and item)', () => {
    // Reference TEXT STATUS: 第四条 all VERBATIM-2; 第五条 lead-in, （一）（二） VERBATIM-2, （三）–（五） VERBATIM-1;
    // 第六条 lead-in VERBATIM-1; 第七条 lead-in VERBATIM-1; 第八条 VERBATIM-1; 第九条 VERBATIM-2; 第十条 VERBATIM-1.
    const verbatim2 = ['TG23-4-1', 'TG23-4-2', 'TG23-4-3', 'TG23-4-4', 'TG23-4-5', 'TG23-5-1', 'TG23-5-2', 'TG23-9-1', 'TG23-9-2', 'TG23-9-3', 'TG23-9-4'];
    for (const rule of rules) {
      expect((rule as { provenance?: string }).provenance, rule.id).toBe(verbatim2.includes(rule.id) ? 'verbatim-2' : 'verbatim-1');
    }
  });

  const engine = createEngine({ packs: [FILE] });
  const judge = (facts: Record<string, unknown>) => engine.classify({ standard: 'town-gas', observed_at: '2025-03-01', facts });

  it('property: the catch-all 第十条 matches only with both determinations recorded and a norm cited', () => {
    fc.assert(
      fc.property(factsArbitrary(pack), (facts) => {
        const matched = judge(facts).matches.some((m) => m.rule === 'TG23-10');
        const determined = facts.serious_breach_of_gas_law_or_standard === true && facts.real_danger_mass_casualty_or_major_loss === true && typeof facts.cited_norm === 'string' && facts.cited_norm !== '';
        expect(matched).toBe(determined);
      }),
      { numRuns: 500 },
    );
  });

  it('第九条: the user condition alone is not a major hazard; the operator\'s inaction makes it one', () => {
    const found = { check_found_inlet_riser_or_main_in_bathroom: true };
    expect(judge(found).level).toBe('undetermined');
    expect(judge({ ...found, rectification_measures_taken: true }).level).toBe('general');
    expect(judge({ ...found, rectification_measures_taken: false }).matches.map((m) => m.rule)).toEqual(['TG23-9-2']);
  });

  it('no edition before 2023-09-21', () => {
    expect(() => engine.classify({ standard: 'town-gas', observed_at: '2023-09-20', facts: { supplied_gas_odorised_to_standard: false } })).toThrow(/no encoded edition/);
  });
});
