/**
 * The industry-and-trade (工贸) packs: 应急管理部令第10号 (2023, in force 2023-05-15) and the 2017 list
 * 安监总管四〔2017〕129号 it repealed. Item for item against the reference, the crosswalk between the
 * editions, the changeover on 2023-05-15, and the scope properties: sector articles apply only to
 * their sector, special articles only to enterprises with that special hazard.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { findingArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';

const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');
const REFERENCE = join(REFERENCES, 'industry-trade.md');
const FILE_2017 = join(ROOT, 'rules', 'industry-trade', '2017.yaml');
const FILE_2023 = join(ROOT, 'rules', 'industry-trade', '2023.yaml');
const p2017 = compiled(FILE_2017);
const p2023 = compiled(FILE_2023);

const CN = '一二三四五六七八九十';
/** 第十一条（三） → 3 for the item, 11 for the article; up to 十九. */
const cnNumber = (s: string): number => (s.length === 1 ? CN.indexOf(s) + 1 : s.startsWith('十') ? 10 + (s.length > 1 ? CN.indexOf(s[1]!) + 1 : 0) : CN.indexOf(s[0]!) + 1);

/** Part A and Part B of the reference. */
function referenceParts(): { a: string; b: string } {
  const text = readFileSync(REFERENCE, 'utf8');
  const split = text.indexOf('# Part B');
  return { a: text.slice(0, split), b: text.slice(split) };
}

describe('industry-trade 2023 (应急管理部令第10号)', () => {
  it('has 64 situations and 第十四条, in the order of the text', () => {
    expect(p2023.rules).toHaveLength(65);
    const perArticle = new Map<number, number>();
    for (const rule of p2023.rules.slice(0, 64)) {
      const article = Number(rule.id.split('-')[1]);
      perArticle.set(article, (perArticle.get(article) ?? 0) + 1);
    }
    // 第三条 3; 冶金 8, 有色 13, 建材 8, 机械 7, 轻工 7, 纺织 2, 烟草 2; 粉尘 10, 液氨 2, 有限空间 2.
    expect([...perArticle]).toEqual([[3, 3], [4, 8], [5, 13], [6, 8], [7, 7], [8, 7], [9, 2], [10, 2], [11, 10], [12, 2], [13, 2]]);
    expect(p2023.rules.at(-1)!.id).toBe('IT23-14');
  });

  it('cites every rule by the article and item its id names', () => {
    for (const rule of p2023.source.rules) {
      const m = /^第(.+)条(?:（(.+)）)?$/.exec(rule.clause);
      expect(m, rule.id).not.toBeNull();
      const id = `IT23-${cnNumber(m![1]!)}${m![2] ? `-${cnNumber(m![2])}` : ''}`;
      expect(rule.id).toBe(id);
    }
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item (ids and texts)', () => {
    const { a } = referenceParts();
    // Situations are marked (IT23-<article>-<item>); 第十四条 is (IT23-14); 第一、二、十五条 are not criteria.
    const ids = [...a.matchAll(/\((IT23-\d+(?:-\d+)?)\)/g)].map((m) => m[1]!).filter((id) => /^IT23-\d+-\d+$/.test(id) || id === 'IT23-14');
    expect(ids).toHaveLength(65);
    expect(p2023.rules.map((r) => r.id)).toEqual(ids);
    // Each situation's item line, as quoted in the reference (「> （一）…」 or inside the article's block).
    const squash = (s: string) => s.replace(/\s+/g, '');
    const reference = squash(a);
    for (const rule of p2023.source.rules) {
      const lines = rule.text.split('\n');
      if (rule.id !== 'IT23-14') {
        expect(lines, rule.id).toHaveLength(2);
        expect(lines[0], rule.id).toMatch(/^第.+条　.+有下列情形之一的，应当判定为重大事故隐患：$/);
        expect(lines[1]!.startsWith(`（${rule.clause.replace(/^第.+条（(.+)）$/, '$1')}）`), rule.id).toBe(true);
      }
      for (const line of lines) expect(reference.includes(squash(line)), `${rule.id}: ${line}`).toBe(true);
    }
  });

  it('carries the reference status of every text', () => {
    for (const rule of p2023.source.rules) expect(['verbatim-2', 'verbatim-1'], rule.id).toContain(rule.provenance);
  });
});

describe('industry-trade 2017 (安监总管四〔2017〕129号)', () => {
  it('has 59 items: 专项类 14 and 行业类 45', () => {
    const count = (section: string) => p2017.rules.filter((r) => r.id.startsWith(`IT17-${section}-`)).length;
    expect(p2017.rules).toHaveLength(59);
    expect(['DUST', 'NH3', 'CS'].map(count)).toEqual([10, 2, 2]);
    expect(['MET', 'NF', 'BM', 'MACH', 'LI', 'TEX', 'TOB', 'COM'].map(count)).toEqual([11, 10, 6, 7, 6, 2, 2, 1]);
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item (ids and texts, in order)', () => {
    const { b } = referenceParts();
    const expected: Array<{ id: string; section: string; item: string }> = [];
    let section: { id: string; heading: string } | undefined;
    for (const line of b.split('\n')) {
      const heading = /^### (（[一二三四五六七八]）[^ (]+) \((IT17-[A-Z0-9]+)/.exec(line);
      if (heading) section = { id: heading[2]!, heading: heading[1]! };
      const item = /^(\d+)\. (.+?)(?: — EN:.*)?$/.exec(line);
      if (item && section) expected.push({ id: `${section.id}-${item[1]}`, section: section.heading, item: `${item[1]}. ${item[2]}` });
      if (/^EN \(by number\)|^## Structure notes/.test(line)) section = line.startsWith('EN') ? section : undefined;
    }
    expect(expected).toHaveLength(59);
    expect(p2017.rules.map((r) => r.id)).toEqual(expected.map((e) => e.id));
    expect(p2017.source.rules.map((r) => r.text)).toEqual(expected.map((e) => `${e.section}\n${e.item}`));
  });

  it('says that the issue date is unverified, and meets the 2023 edition exactly', () => {
    expect(p2017.source.standard.note).toMatch(/\[UNVERIFIED\].*issue date/);
    expect(p2017.source.standard.effective_to).toBe('2023-05-15');
    expect(p2023.source.standard.effective_from).toBe('2023-05-15');
    expect(p2023.source.standard.supersedes).toBe(p2017.id);
  });
});

describe('the crosswalk 2017 → 2023', () => {
  const older = new Set(p2017.rules.map((r) => r.id));
  const carried = p2023.source.rules.flatMap((r) => r.supersedes ?? []);
  const dropped = (p2023.source.dropped ?? []).map((d) => d.rule);

  it('names only rules of the 2017 edition', () => {
    expect([...carried, ...dropped].filter((id) => !older.has(id))).toEqual([]);
  });

  it('names every 2017 rule once: carried on by 2023 rules, or dropped — never both', () => {
    const carriedSet = new Set(carried);
    expect(dropped.filter((id) => carriedSet.has(id))).toEqual([]);
    expect(new Set(dropped).size).toBe(dropped.length);
    expect([...older].filter((id) => !carriedSet.has(id) && !dropped.includes(id))).toEqual([]);
    // A 2017 item split over two 2023 situations is named by each of them (冶金4 → 第四条（二）（三）; 建材3 → 第六条（五）（六）).
    const twice = [...new Set(carried.filter((id, i) => carried.indexOf(id) !== i))].sort();
    expect(twice).toEqual(['IT17-BM-3', 'IT17-MET-4']);
  });

  it('drops the ten items the reference gives no successor, the 商贸 item among them', () => {
    expect(dropped.sort()).toEqual(['IT17-COM-1', 'IT17-MACH-2', 'IT17-MET-2', 'IT17-MET-3', 'IT17-MET-5', 'IT17-MET-7', 'IT17-NF-1', 'IT17-NF-10', 'IT17-NF-3', 'IT17-NF-8']);
    for (const d of p2023.source.dropped ?? []) expect(d.note && d.note_en, d.rule).toBeTruthy();
  });
});

describe('the changeover on 2023-05-15', () => {
  const engine = createEngine({ packs: [FILE_2017, FILE_2023] });
  const freezer = {
    standard: 'industry-trade',
    facts: { quick_freezer_in_separate_room: false, persons_in_quick_freezer_room: 6 },
    context: { uses_ammonia_refrigeration: true },
  };

  it('a quick freezer outside a separate room with 6 workers: not major on 2023-05-14 (2017: 「且」超过9人), major from 2023-05-15 (2023: 「或者」)', () => {
    const before = engine.classify({ ...freezer, observed_at: '2023-05-14' });
    const after = engine.classify({ ...freezer, observed_at: '2023-05-15' });
    expect(before.pack.id).toBe('industry-trade-2017');
    expect(before.level).toBe('general');
    expect(after.pack.id).toBe('industry-trade-2023');
    expect(after.level).toBe('major');
    expect(after.matches.map((m) => m.rule)).toEqual(['IT23-12-2']);
  });

  it('the same freezer with 10 workers is major on both days, by different rules', () => {
    const crowded = { ...freezer, facts: { ...freezer.facts, persons_in_quick_freezer_room: 10 } };
    expect(engine.classify({ ...crowded, observed_at: '2023-05-14' }).matches.map((m) => m.rule)).toEqual(['IT17-NH3-2']);
    expect(engine.classify({ ...crowded, observed_at: '2023-05-15' }).matches.map((m) => m.rule)).toEqual(['IT23-12-2']);
  });

  it('the examples file holds the pair and judges it so', () => {
    const lines = readFileSync(join(ROOT, 'examples', 'industry-trade.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const verdicts = engine.classifyMany(lines) as Array<{ id?: string; level: string }>;
    const byId = new Map(verdicts.map((v) => [v.id, v.level]));
    expect(byId.get('IT-CHANGEOVER-1a')).toBe('general');
    expect(byId.get('IT-CHANGEOVER-1b')).toBe('major');
    // The real findings from enforcement notices are each judged major, as the notices judged them.
    for (const line of lines.filter((l) => String(l.id).startsWith('IT-REAL-'))) expect(byId.get(line.id), line.id).toBe('major');
  });
});

/**
 * Findings from the vocabulary. factsArbitrary ties compared facts one step apart without looking at
 * their bounds (e.g. -0.01 for a `min: 0` fact), which the engine rightly refuses: such values are
 * dropped here (reported to the engine owner).
 */
function findings(pack: typeof p2023) {
  const facts = pack.source.facts;
  return findingArbitrary(pack).map((f) => ({
    ...f,
    facts: Object.fromEntries(
      Object.entries(f.facts).filter(([name, value]) => {
        const fact = facts[name]!;
        return typeof value !== 'number' || ((fact.min === undefined || value >= fact.min) && (fact.max === undefined || value <= fact.max));
      }),
    ),
  }));
}

describe('scope properties', () => {
  const engines = { 2017: createEngine({ packs: [FILE_2017] }), 2023: createEngine({ packs: [FILE_2023] }) };
  const packs = { 2017: p2017, 2023: p2023 };
  const metallurgy = { 2017: /^IT17-MET-/, 2023: /^IT23-4-/ };
  const dust = { 2017: /^IT17-DUST-/, 2023: /^IT23-11-/ };

  it.each([2017, 2023] as const)('%s: a 商贸 enterprise (not also 冶金) never matches a 冶金 rule', (edition) => {
    const commerce = fc.subarray(['nonferrous', 'building_materials', 'machinery', 'light_industry', 'textile', 'tobacco']).map((others) => ['commerce_trade', ...others]);
    fc.assert(
      fc.property(findings(packs[edition]), commerce, (finding, industries) => {
        const verdict = engines[edition].classify({ ...finding, facts: { ...finding.facts, industries } });
        expect(verdict.matches.filter((m) => metallurgy[edition].test(m.rule))).toEqual([]);
        expect(verdict.missing.filter((m) => m.rule && metallurgy[edition].test(m.rule))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it.each([2017, 2023] as const)('%s: an enterprise without dust-explosion sites never matches a 粉尘 rule', (edition) => {
    fc.assert(
      fc.property(findings(packs[edition]), (finding) => {
        const verdict = engines[edition].classify({ ...finding, facts: { ...finding.facts, has_dust_explosion_hazard: false } });
        expect(verdict.matches.filter((m) => dust[edition].test(m.rule))).toEqual([]);
        expect(verdict.missing.filter((m) => m.rule && dust[edition].test(m.rule))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it.each([2017, 2023] as const)('%s: an enterprise without ammonia refrigeration or confined-space work never matches those rules', (edition) => {
    const special = edition === 2017 ? /^IT17-(NH3|CS)-/ : /^IT23-1[23]-/;
    fc.assert(
      fc.property(findings(packs[edition]), (finding) => {
        const facts = { ...finding.facts, uses_ammonia_refrigeration: false, has_confined_space_work: false };
        const verdict = engines[edition].classify({ ...finding, facts });
        expect(verdict.matches.filter((m) => special.test(m.rule))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('2023: a 商贸 enterprise is judged only by 第三条, the special articles and 第十四条', () => {
    fc.assert(
      fc.property(findings(p2023), (finding) => {
        const verdict = engines[2023].classify({ ...finding, facts: { ...finding.facts, industries: ['commerce_trade'] } });
        for (const m of verdict.matches) expect(m.rule, m.rule).toMatch(/^IT23-(3|11|12|13)-|^IT23-14$/);
      }),
      { numRuns: 400 },
    );
  });
});
