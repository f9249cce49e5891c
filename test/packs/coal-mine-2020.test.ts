/**
 * The 2020 coal-mine pack (应急管理部令第4号, rules/coal-mine/2020.yaml): item for item against
 * the reference, its crosswalk to the 2026 edition, the boundaries that differ between the
 * editions, the scope properties (open-pit / underground, low-gas / outburst), the 矿安〔2023〕125号
 * gap, and the findings of examples/coal-mine.ndjson (the changeover pair and real notices).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition } from '../../src/pack/schema.js';
import { findingArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';
import { params } from '../helpers/properties.js';

const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');
const REFERENCE = join(REFERENCES, 'coal-mine-2020.md');
const FILE = join(ROOT, 'rules', 'coal-mine', '2020.yaml');
const NEWER = join(ROOT, 'rules', 'coal-mine', '2026.yaml');
const EXAMPLES = join(ROOT, 'examples', 'coal-mine.ndjson');
const pack = compiled(FILE);
const rules = pack.source.rules;

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 一 … 十九 → 1 … 19 (enough for article and item numbers of this text). */
function chineseNumber(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + NUMERALS.indexOf(s[1]!) + 1;
  if (s.endsWith('十')) return (NUMERALS.indexOf(s[0]!) + 1) * 10;
  if (s.includes('十')) return (NUMERALS.indexOf(s[0]!) + 1) * 10 + NUMERALS.indexOf(s[2]!) + 1;
  return NUMERALS.indexOf(s) + 1;
}
const two = (n: number) => String(n).padStart(2, '0');

interface ReferenceItem {
  clause: string;
  id: string;
  text: string;
  status: string;
}

/** The situations of 第四条–第十八条 as the reference lists them: `（X）…` lines under `### 第N条`. */
function referenceItems(): ReferenceItem[] {
  const lines = readFileSync(REFERENCE, 'utf8').split('\n');
  const items: ReferenceItem[] = [];
  let article: { name: string; n: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## Structure notes')) break;
    const heading = /^### (第([一二三四五六七八九十]+)条)/.exec(line);
    if (heading) {
      const n = chineseNumber(heading[2]!);
      article = n >= 4 && n <= 18 ? { name: heading[1]!, n } : undefined;
      continue;
    }
    const item = article && /^（([一二三四五六七八九十]+)）/.exec(line);
    if (article && item) {
      const status = /^TEXT STATUS: (VERBATIM-[12])/.exec(lines[i + 1] ?? '')?.[1] ?? 'none';
      items.push({ clause: `${article.name}（${item[1]}）`, id: `CM2020-${two(article.n)}-${two(chineseNumber(item[1]!))}`, text: line, status });
    }
  }
  return items;
}

/** Rules that only exist in an underground mine (the header comment of the pack says why). */
const UNDERGROUND_ONLY = [
  'CM2020-04-04', 'CM2020-04-05', 'CM2020-04-06',
  'CM2020-05-01', 'CM2020-05-02', 'CM2020-05-03',
  'CM2020-06-01', 'CM2020-06-02', 'CM2020-06-03', 'CM2020-06-04', 'CM2020-06-05', 'CM2020-06-06', 'CM2020-06-07',
  'CM2020-07-01', 'CM2020-07-02',
  'CM2020-08-01', 'CM2020-08-02', 'CM2020-08-03', 'CM2020-08-04', 'CM2020-08-05', 'CM2020-08-06', 'CM2020-08-07', 'CM2020-08-08', 'CM2020-08-09', 'CM2020-08-10',
  'CM2020-09-01', 'CM2020-09-02', 'CM2020-09-03', 'CM2020-09-05', 'CM2020-09-06', 'CM2020-09-07', 'CM2020-09-08',
  'CM2020-11-01', 'CM2020-11-02', 'CM2020-11-03', 'CM2020-11-04', 'CM2020-11-05',
  'CM2020-12-01', 'CM2020-12-02',
  'CM2020-13-01', 'CM2020-13-02', 'CM2020-13-03', 'CM2020-13-04', 'CM2020-13-05', 'CM2020-13-06',
  'CM2020-14-03',
  'CM2020-16-05',
  'CM2020-18-03', 'CM2020-18-04', 'CM2020-18-05', 'CM2020-18-06', 'CM2020-18-07', 'CM2020-18-08', 'CM2020-18-09',
];
/** 第六条: coal-and-gas-outburst mines only (aspect 第三条（三）). */
const OUTBURST_ONLY = ['CM2020-06-01', 'CM2020-06-02', 'CM2020-06-03', 'CM2020-06-04', 'CM2020-06-05', 'CM2020-06-06', 'CM2020-06-07'];

/** Does a condition require `fact = value` at its top (a leaf, or a leaf of a top-level `all`)? */
function requires(condition: Condition | undefined, fact: string, value: string): boolean {
  if (!condition) return false;
  if ('all' in condition) return condition.all.some((c) => requires(c, fact, value));
  return 'fact' in condition && condition.fact === fact && condition.operator === 'equal' && condition.value === value;
}

describe('coal-mine-2020: the pack against the official text', () => {
  it('is the 2020 edition of coal-mine, in force 2021-01-01 up to (not including) 2026-07-01', () => {
    expect(pack.id).toBe('coal-mine-2020');
    expect(pack.standard).toBe('coal-mine');
    expect(pack.source.standard.effective_from).toBe('2021-01-01');
    expect(pack.source.standard.effective_to).toBe('2026-07-01');
  });

  it('has 81 rules, ids CM2020-NN-XX in the order of the text', () => {
    expect(rules).toHaveLength(81);
    for (const r of rules) expect(r.id).toMatch(/^CM2020-(0[4-9]|1[0-8])-(0[1-9]|1[01])$/);
    const ids = rules.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(81);
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item: every situation of 第四条–第十八条 once, in order, nothing extra', () => {
    const items = referenceItems();
    expect(items).toHaveLength(81);
    expect(rules.map((r) => r.clause)).toEqual(items.map((i) => i.clause));
    expect(rules.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(rules.map((r) => r.text)).toEqual(items.map((i) => i.text));
  });

  it.skipIf(!existsSync(REFERENCE))("carries the reference's text status as provenance (VERBATIM-1 → verbatim-1, VERBATIM-2 → verbatim-2)", () => {
    const status = new Map(referenceItems().map((i) => [i.id, i.status.toLowerCase()]));
    for (const r of rules) {
      expect(r.provenance, r.id).toBe(status.get(r.id));
      expect(r.unverified ?? false, r.id).toBe(false);
    }
    expect(rules.filter((r) => r.provenance === 'verbatim-2').map((r) => r.id)).toEqual(['CM2020-06-05', 'CM2020-08-03', 'CM2020-09-08', 'CM2020-13-02']);
  });

  it.skipIf(!existsSync(REFERENCE))("every 2020 citation of the reference's crosswalk table is a rule of this pack, and every rule is in the table", () => {
    const reference = readFileSync(REFERENCE, 'utf8');
    const table = reference.slice(reference.indexOf('## Crosswalk 2020'));
    const cited = [...table.matchAll(/^\| (第[一二三四五六七八九十]+条（[一二三四五六七八九十]+）) \|/gm)].map((m) => m[1]!);
    expect(cited).toEqual(rules.map((r) => r.clause));
  });
});

describe('coal-mine-2020: boundaries of this edition', () => {
  const engine = createEngine({ packs: [pack] });
  const judge = (facts: Record<string, unknown>, context: Record<string, unknown>, observed_at = '2024-05-01') =>
    engine.classify({ standard: 'coal-mine', observed_at, facts, context });

  it('「幅度在10%以上」 is inclusive: annual output of exactly 110% of capacity is major, derived from the recorded figures', () => {
    const at = judge({ annual_raw_coal_output_t: 1_320_000, monthly_raw_coal_output_t: 100_000 }, { approved_capacity_t_per_year: 1_200_000 });
    expect(at.level).toBe('major');
    expect(at.matches.map((m) => m.rule)).toEqual(['CM2020-04-01']);
    expect(judge({ annual_raw_coal_output_t: 1_319_999, monthly_raw_coal_output_t: 100_000 }, { approved_capacity_t_per_year: 1_200_000 }).level).toBe('general');
  });

  it('「大于…10%」 is strict: a month of exactly 10% of the annual capacity is not major', () => {
    expect(judge({ annual_raw_coal_output_t: 1_000_000, monthly_raw_coal_output_t: 120_000 }, { approved_capacity_t_per_year: 1_200_000 }).level).toBe('general');
    expect(judge({ annual_raw_coal_output_t: 1_000_000, monthly_raw_coal_output_t: 120_001 }, { approved_capacity_t_per_year: 1_200_000 }).level).toBe('major');
  });

  it('「超过…20%以上」 is inclusive: 12 persons against a limit of 10 is major, 11 is not', () => {
    const context = { mine_type: 'underground' };
    expect(judge({ underground_staffing_quota_system: 'enforced', workplace_shift_headcount: 12, national_headcount_limit: 10 }, context).level).toBe('major');
    expect(judge({ underground_staffing_quota_system: 'enforced', workplace_shift_headcount: 11, national_headcount_limit: 10 }, context).level).toBe('general');
  });

  it('a missing recorded figure leaves the derived comparison undetermined, naming the figure', () => {
    const v = judge({ annual_raw_coal_output_t: 1_320_000, monthly_raw_coal_output_t: 100_000 }, {});
    expect(v.level).toBe('undetermined');
    expect(v.missing.find((m) => m.rule === 'CM2020-04-01')?.facts).toContain('approved_capacity_t_per_year');
  });

  it('the appraisal deadline of 第十八条（四） counts days from the recorded last day of the period', () => {
    const facts = { gas_dynamic_phenomenon: true, managed_as_outburst_seam_pending_appraisal: true, outburst_appraisal_completed: false, outburst_appraisal_deadline: '2024-06-30', directly_deemed_outburst_mine: false };
    const context = { mine_type: 'underground', gas_class: 'high_gas' };
    expect(judge(facts, context, '2024-06-30').level).toBe('general');
    expect(judge(facts, context, '2024-07-01').level).toBe('major');
  });
});

describe('coal-mine-2020: the 矿安〔2023〕125号 open-pit gap', () => {
  const engine = createEngine({ packs: [pack] });
  const openPit = (observed_at: string) =>
    engine.classify({ standard: 'coal-mine', observed_at, facts: { final_wall_slope_angle_deg: 40, design_max_slope_angle_deg: 45, severe_slope_deformation: false }, context: { mine_type: 'open_pit' } });

  it('is declared, scoped to open-pit mines, from 2023-09-22', () => {
    const gap = pack.source.gaps?.find((g) => g.id === 'kuang-an-2023-125');
    expect(gap?.instrument).toBe('矿安〔2023〕125号');
    expect(gap?.effective_from).toBe('2023-09-22');
    expect(gap?.scope).toEqual({ fact: 'mine_type', operator: 'equal', value: 'open_pit' });
  });

  it('a general open-pit verdict inside the gap carries its caveat; before the notice, or underground, it does not', () => {
    const gapCaveats = (v: ReturnType<typeof openPit>) => v.caveats.filter((c) => c.kind === 'gap');
    expect(openPit('2024-03-01').level).toBe('general');
    expect(gapCaveats(openPit('2024-03-01')).map((c) => ('gap' in c ? c.gap : undefined))).toEqual(['kuang-an-2023-125']);
    expect(gapCaveats(openPit('2023-09-21'))).toEqual([]);
    const underground = engine.classify({ standard: 'coal-mine', observed_at: '2024-03-01', facts: { power_supply_circuits: 2 }, context: { mine_type: 'underground' } });
    expect(gapCaveats(underground)).toEqual([]);
  });
});

/**
 * Findings from the pack's vocabulary, kept inside the declared fact bounds: factsArbitrary ties
 * compared facts one step apart (b − 1, b − 0.01), which can fall below a `min: 0` bound and be
 * refused as bad-value — a limitation of the arbitrary (reported), not of the pack.
 */
const bounded = (complete: boolean) =>
  findingArbitrary(pack, { complete }).map((finding) => {
    const facts: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(finding.facts)) {
      const fact = pack.source.facts[name]!;
      facts[name] = typeof value === 'number' ? Math.min(Math.max(value, fact.min ?? -Infinity), fact.max ?? Infinity) : value;
    }
    return { ...finding, facts };
  });

describe('coal-mine-2020: scope properties', () => {
  const engine = createEngine({ packs: [pack] });
  const dates = fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2026-06-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it('the underground-only rules are exactly those scoped by applies_when mine_type = underground', () => {
    const scoped = rules.filter((r) => requires(r.applies_when, 'mine_type', 'underground')).map((r) => r.id);
    expect(scoped).toEqual(UNDERGROUND_ONLY);
    expect(rules.filter((r) => requires(r.applies_when, 'mine_type', 'open_pit')).map((r) => r.id)).toEqual(['CM2020-18-10']);
  });

  it('the outburst-only rules (第六条) are exactly those scoped by applies_when gas_class = outburst', () => {
    expect(rules.filter((r) => requires(r.applies_when, 'gas_class', 'outburst')).map((r) => r.id)).toEqual(OUTBURST_ONLY);
  });

  for (const complete of [false, true]) {
    it(`an open-pit context never matches an underground-only rule (${complete ? 'complete' : 'partial'} findings)`, () => {
      fc.assert(
        fc.property(bounded(complete), dates, (finding, observed_at) => {
          const verdict = engine.classify({ ...finding, observed_at, facts: { ...finding.facts, mine_type: 'open_pit' } });
          expect(verdict.matches.filter((m) => UNDERGROUND_ONLY.includes(m.rule))).toEqual([]);
        }),
        params(300),
      );
    });

    it(`a low-gas mine never matches an outburst-only rule (${complete ? 'complete' : 'partial'} findings)`, () => {
      fc.assert(
        fc.property(bounded(complete), dates, (finding, observed_at) => {
          const verdict = engine.classify({ ...finding, observed_at, facts: { ...finding.facts, gas_class: 'low_gas' } });
          expect(verdict.matches.filter((m) => OUTBURST_ONLY.includes(m.rule))).toEqual([]);
        }),
        params(300),
      );
    });
  }

  it('an underground outburst mine can match the outburst-only and underground-only rules (the properties are not vacuous)', () => {
    const v = engine.classify({ standard: 'coal-mine', observed_at: '2024-05-01', facts: { trolley_wire_locomotive_in_use: true }, context: { mine_type: 'underground', gas_class: 'outburst' } });
    expect(v.matches.map((m) => m.rule)).toEqual(['CM2020-06-07']);
  });
});

interface ExampleFinding {
  id: string;
  observed_at: string;
  facts: Record<string, unknown>;
  context?: Record<string, unknown>;
}
const examples: ExampleFinding[] = existsSync(EXAMPLES)
  ? readFileSync(EXAMPLES, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ExampleFinding)
  : [];
const example = (id: string) => {
  const found = examples.find((e) => e.id === id);
  if (!found) throw new Error(`examples/coal-mine.ndjson has no finding ${id}`);
  return found;
};

describe('coal-mine-2020: crosswalk and changeover to the 2026 edition', () => {
  // rules/coal-mine/2026.yaml is encoded in parallel (another worktree); until it is merged here
  // there is no newer edition to compare with, and these tests say so by being skipped.
  const hasNewer = existsSync(NEWER);

  it.skipIf(!hasNewer)('every 2020 rule is carried on (supersedes) or dropped in the 2026 pack, not both, dropped once, no unknown ids', () => {
    const newer = compiled(NEWER);
    expect(newer.source.standard.supersedes).toBe('coal-mine-2020');
    const superseded = new Set(newer.source.rules.flatMap((r) => r.supersedes ?? []));
    const dropped = (newer.source.dropped ?? []).map((d) => d.rule);
    const ids = rules.map((r) => r.id);
    expect(new Set(dropped).size).toBe(dropped.length);
    expect([...superseded, ...dropped].filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id) => superseded.has(id) && dropped.includes(id))).toEqual([]);
    expect(ids.filter((id) => !superseded.has(id) && !dropped.includes(id))).toEqual([]);
  });

  it.skipIf(!hasNewer)('the changeover pair: the same finding on 2026-06-30 (2020 edition, major) and 2026-07-01 (2026 edition, general)', () => {
    const engine = createEngine({ packs: [pack, compiled(NEWER)] });
    const before = example('CM-CHANGEOVER-2026-06-30');
    const after = example('CM-CHANGEOVER-2026-07-01');
    expect(after.facts).toEqual(before.facts);
    expect(after.context).toEqual(before.context);
    const old = engine.classify({ standard: 'coal-mine', ...before });
    const current = engine.classify({ standard: 'coal-mine', ...after });
    expect(old.pack.id).toBe('coal-mine-2020');
    expect(current.pack.id).toBe('coal-mine-2026');
    expect(old.level).toBe('major');
    expect(old.matches.map((m) => m.rule)).toEqual(['CM2020-04-01']);
    expect(current.level).toBe('general');
  });

  it.skipIf(!hasNewer)('exactly 110% of capacity: major by 2020 (以上, inclusive), not by 2026 (超过, strict) — from the same recorded figures', () => {
    const engine = createEngine({ packs: [pack, compiled(NEWER)] });
    const finding = { standard: 'coal-mine', facts: { annual_raw_coal_output_t: 1_320_000 }, context: { mine_type: 'open_pit', approved_capacity_t_per_year: 1_200_000 } };
    expect(engine.classify({ ...finding, observed_at: '2026-06-30' }).level).toBe('major');
    expect(engine.classify({ ...finding, observed_at: '2026-07-01' }).level).toBe('general');
    expect(engine.classify({ ...finding, facts: { annual_raw_coal_output_t: 1_320_001 }, observed_at: '2026-07-01' }).level).toBe('major');
  });
});

describe('coal-mine-2020: real findings from public enforcement notices (examples/coal-mine.ndjson)', () => {
  const engine = createEngine({ packs: [pack] });
  const judge = (id: string) => engine.classify({ standard: 'coal-mine', ...example(id) });

  it('湖南局 2023-09-06: methane sensors disconnected in a high-gas mine → 第七条（二）', () => {
    const v = judge('CM-REAL-HN-2023-0906');
    expect(v.pack.id).toBe('coal-mine-2020');
    expect(v.level).toBe('major');
    expect(v.matches.map((m) => m.rule)).toEqual(['CM2020-07-02']);
  });

  it('四川局 2023-06-22: accumulated gas blown out without discharge measures → 第五条（三）', () => {
    const v = judge('CM-REAL-SC-2023-0622');
    expect(v.level).toBe('major');
    expect(v.matches.map((m) => m.rule)).toEqual(['CM2020-05-03']);
  });

  it('黑龙江局 2023-02-12: reserve life below the minimum, restriction lifted → 第四条（三） needs the figures the notice did not publish', () => {
    const v = judge('CM-REAL-HLJ-2023-0212');
    expect(v.level).toBe('undetermined');
    expect(v.missing.find((m) => m.rule === 'CM2020-04-03')?.facts).toEqual(
      expect.arrayContaining(['prepared_reserve_life_months', 'prepared_reserve_min_life_months']),
    );
  });
});
