/**
 * The construction packs (房屋市政工程生产安全重大事故隐患判定标准 2022版 / 2024版) against their
 * reference: item for item, the 2022 → 2024 crosswalk, the changeover of 2024-12-13, the
 * publication window of the 2022 notice, and scope properties (deep pits, construction stage).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Finding } from '../../src/index.js';
import { factsArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';
import { params } from '../helpers/properties.js';

const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'standards', 'construction.md');
const FILE_2022 = join(ROOT, 'rules', 'construction', '2022.yaml');
const FILE_2024 = join(ROOT, 'rules', 'construction', '2024.yaml');
const pack2022 = compiled(FILE_2022);
const pack2024 = compiled(FILE_2024);

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 … 19 as the official text writes them (十六, not 一十六). */
const cn = (n: number): string => (n <= 10 ? NUMERALS[n]! : `十${NUMERALS[n - 10]}`);
/** The citation an id stands for: C24-8-3 → 第八条（三）, C24-16 → 第十六条. */
const citation = (id: string): string => {
  const [, article, item] = id.split('-');
  return `第${cn(Number(article))}条${item ? `（${cn(Number(item))}）` : ''}`;
};

/**
 * The criteria of one edition as the reference lists them: every id marker (Cyy-…) on a heading or
 * list line of that part, without the articles that are not criteria (purpose, definition, scope,
 * commencement) and without the article headings whose items are listed separately.
 */
function referenceCriteria(reference: string, edition: '22' | '24', notCriteria: string[]): string[] {
  const ids = [...reference.matchAll(new RegExp(`^(?:#{3,4} |- ).*\\((C${edition}-\\d+(?:-\\d+)?)\\)\\s*$`, 'gm'))].map((m) => m[1]!);
  const parents = new Set(ids.map((id) => id.split('-').slice(0, 2).join('-')).filter((p) => ids.some((id) => id.startsWith(`${p}-`))));
  return ids.filter((id) => !parents.has(id) && !notCriteria.includes(id));
}

describe('construction 2024 (建质规〔2024〕5号)', () => {
  it('has 53 criteria: 51 numbered items of 第四条–第十五条 and 第十六条, 第十七条', () => {
    const ids = pack2024.rules.map((r) => r.id);
    expect(ids).toHaveLength(53);
    const perArticle = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((a) => ids.filter((id) => id.startsWith(`C24-${a}-`)).length);
    expect(perArticle).toEqual([5, 4, 4, 3, 9, 5, 2, 4, 2, 7, 3, 3]);
    expect(ids.slice(-2)).toEqual(['C24-16', 'C24-17']);
  });

  it('cites each rule as the official text numbers it', () => {
    for (const rule of pack2024.source.rules) expect(rule.clause, rule.id).toBe(citation(rule.id));
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item, in order, nothing extra', () => {
    const reference = readFileSync(REFERENCE, 'utf8');
    const partA = reference.slice(0, reference.indexOf('# Part B'));
    const criteria = referenceCriteria(partA, '24', ['C24-1', 'C24-2', 'C24-3', 'C24-18']);
    expect(criteria).toHaveLength(53);
    expect(pack2024.rules.map((r) => r.id)).toEqual(criteria);
  });

  it.skipIf(!existsSync(REFERENCE))('quotes each item line as the reference quotes it (lead-in, then the item)', () => {
    const reference = readFileSync(REFERENCE, 'utf8').replace(/\s+/g, '');
    for (const rule of pack2024.source.rules) {
      const lines = rule.text.split('\n');
      const item = lines.length > 1 ? lines[1]! : lines[0]!;
      expect(reference.includes(`>${item.replace(/\s+/g, '')}`), rule.id).toBe(true);
      if (lines.length > 1) expect(lines[0], rule.id).toMatch(new RegExp(`^${citation(rule.id).replace(/（.*/, '')}\\s`));
    }
  });

  it('keeps 第五条（四）’s four warning signs inside its one rule', () => {
    const rule = pack2024.source.rules.find((r) => r.id === 'C24-5-4')!;
    expect(rule.text.split('\n').slice(2)).toEqual([
      '1.支护结构或周边建筑物变形值超过设计变形控制值；',
      '2.基坑侧壁出现大量漏水、流土；',
      '3.基坑底部出现管涌或突涌；',
      '4.桩间土流失孔洞深度超过桩径。',
    ]);
    expect(pack2024.rules.some((r) => /^C24-5-4\./.test(r.id))).toBe(false);
  });

  it('models the companion lists as facts whose description names them', () => {
    const facts = pack2024.source.facts;
    expect(facts.special_plan_serious_defect!.description).toContain('《危险性较大的分部分项工程专项施工方案严重缺陷清单（试行）》');
    expect(facts.technology_on_prohibited_list_in_use!.description).toContain('《房屋建筑和市政基础设施工程禁止和限制使用技术目录（第一、二批）》');
  });
});

describe('construction 2022 (建质规〔2022〕2号)', () => {
  it('has 34 criteria: 30 numbered items and 第十、十二、十四、十五条', () => {
    const ids = pack2022.rules.map((r) => r.id);
    expect(ids).toHaveLength(34);
    const perArticle = [4, 5, 6, 7, 8, 9, 11, 13].map((a) => ids.filter((id) => id.startsWith(`C22-${a}-`)).length);
    expect(perArticle).toEqual([4, 4, 3, 5, 7, 3, 2, 2]);
    expect(ids.filter((id) => id.split('-').length === 2)).toEqual(['C22-10', 'C22-12', 'C22-14', 'C22-15']);
  });

  it('cites each rule as the official text numbers it', () => {
    for (const rule of pack2022.source.rules) expect(rule.clause, rule.id).toBe(citation(rule.id));
  });

  it.skipIf(!existsSync(REFERENCE))('matches the reference item for item, in order, nothing extra', () => {
    const reference = readFileSync(REFERENCE, 'utf8');
    const partB = reference.slice(reference.indexOf('# Part B'), reference.indexOf('## Crosswalk'));
    const criteria = referenceCriteria(partB, '22', ['C22-1', 'C22-2', 'C22-3', 'C22-16']);
    expect(criteria).toHaveLength(34);
    expect(pack2022.rules.map((r) => r.id)).toEqual(criteria);
  });

  it('meets the 2024 edition exactly and is superseded by it', () => {
    expect(pack2022.source.standard.effective_to).toBe('2024-12-13');
    expect(pack2024.source.standard.effective_from).toBe('2024-12-13');
    expect(pack2024.source.standard.supersedes).toBe('construction-2022');
  });
});

describe('the 2022 → 2024 crosswalk', () => {
  const supersedes = pack2024.source.rules.flatMap((r) => (r.supersedes ?? []).map((old) => [old, r.id] as const));
  const dropped = (pack2024.source.dropped ?? []).map((d) => d.rule);

  it('names every 2022 rule exactly once, in supersedes or dropped, and nothing else', () => {
    const named = [...supersedes.map(([old]) => old), ...dropped].sort();
    expect(named).toEqual(pack2022.rules.map((r) => r.id).sort());
  });

  it('follows the reference table row by row', () => {
    // The reference's "Crosswalk 2022 → 2024", with its ranges spelt out.
    const table: Record<string, string> = {
      'C22-4-1': 'C24-4-1', 'C22-4-2': 'C24-4-2', 'C22-4-3': 'C24-4-3', 'C22-4-4': 'C24-4-4',
      'C22-5-1': 'C24-5-1', 'C22-5-2': 'C24-5-2', 'C22-5-3': 'C24-5-3', 'C22-5-4': 'C24-5-4',
      'C22-6-1': 'C24-6-1', 'C22-6-2': 'C24-6-2', 'C22-6-3': 'C24-6-3',
      'C22-7-1': 'C24-7-1', 'C22-7-2': 'C24-7-2', 'C22-7-4': 'C24-7-3',
      'C22-8-1': 'C24-8-1', 'C22-8-7': 'C24-8-2', 'C22-8-4': 'C24-8-3', 'C22-8-5': 'C24-8-4',
      'C22-8-6': 'C24-8-5', 'C22-8-3': 'C24-8-6', 'C22-8-2': 'C24-8-7',
      'C22-9-1': 'C24-9-1', 'C22-9-2': 'C24-9-2', 'C22-9-3': 'C24-9-3',
      'C22-10': 'C24-10-1', 'C22-11-1': 'C24-11-2', 'C22-11-2': 'C24-11-3', 'C22-12': 'C24-12-2',
      'C22-13-1': 'C24-13-1', 'C22-13-2': 'C24-13-2', 'C22-14': 'C24-16', 'C22-15': 'C24-17',
    };
    expect(Object.fromEntries(supersedes)).toEqual(table);
    expect(dropped.sort()).toEqual(['C22-7-3', 'C22-7-5']);
  });

  it.skipIf(!existsSync(REFERENCE))('agrees with the single-item rows of the reference table', () => {
    const reference = readFileSync(REFERENCE, 'utf8');
    const section = reference.slice(reference.indexOf('## Crosswalk'), reference.indexOf('## Structure notes'));
    const byClause = (pack: typeof pack2022, clause: string) => pack.rules.find((r) => r.source.clause === clause)?.id;
    const rows = [...section.matchAll(/^\| (第[^|（]+条(?:（[^）]+）)?) \| (第[^|（]+条(?:（[^）]+）)?) \|/gm)];
    expect(rows.length).toBeGreaterThan(10);
    for (const [, older, newer] of rows) {
      const oldId = byClause(pack2022, older!);
      const newId = byClause(pack2024, newer!);
      // 第十六条 → 第十八条: the commencement articles, not criteria of either edition.
      if (oldId === undefined && newId === undefined) continue;
      expect(oldId, older).toBeDefined();
      expect(Object.fromEntries(supersedes)[oldId!], `${older} → ${newer}`).toBe(newId);
    }
  });
});

describe('the changeover of 2024-12-13', () => {
  const engine = createEngine({ packs: [FILE_2022, FILE_2024] });
  const deepPitUnmonitored = { context: { is_deep_foundation_pit: true }, facts: { third_party_monitoring_in_place: false } };

  it('judges the same finding by 2022 第五条（三） on 2024-12-12 and by 2024 第五条（三） on 2024-12-13', () => {
    const before = engine.classify({ standard: 'construction', observed_at: '2024-12-12', ...deepPitUnmonitored });
    const after = engine.classify({ standard: 'construction', observed_at: '2024-12-13', ...deepPitUnmonitored });
    expect([before.level, before.pack.id, before.matches.map((m) => m.rule)]).toEqual(['major', 'construction-2022', ['C22-5-3']]);
    expect([after.level, after.pack.id, after.matches.map((m) => m.rule)]).toEqual(['major', 'construction-2024', ['C24-5-3']]);
  });

  it('a 2024-only situation (sudden inrush at the pit bottom) is major only from 2024-12-13', () => {
    const finding = {
      standard: 'construction',
      facts: { pit_base_sudden_inrush: true, pit_base_piping: false, pit_wall_heavy_leakage_or_soil_flow: false, support_or_adjacent_deformation_mm: 5, design_deformation_control_value_mm: 30, inter_pile_cavity_depth_mm: 0, pile_diameter_mm: 800, collapse_signs_handled_in_time: false },
    };
    expect(engine.classify({ ...finding, observed_at: '2024-12-12' }).level).toBe('general');
    const after = engine.classify({ ...finding, observed_at: '2024-12-13' });
    expect([after.level, after.matches.map((m) => m.rule)]).toEqual(['major', ['C24-5-4']]);
  });

  it('a dropped 2022 item (cantilever > 6 m) is major on 2024-12-12 and not on 2024-12-13', () => {
    // The devices are recorded too: a finding that no clause of an edition reads is refused (no-rule-reached).
    const finding = { standard: 'construction', context: { is_attached_lifting_scaffold: true }, facts: { frame_cantilever_height_m: 6.5, frame_height_m: 20, anti_tilt_device: 'ok', anti_fall_device: 'ok', sync_lifting_control: 'ok' } };
    const before = engine.classify({ ...finding, observed_at: '2024-12-12' });
    expect([before.level, before.matches.map((m) => m.rule)]).toEqual(['major', ['C22-7-5']]);
    expect(engine.classify({ ...finding, observed_at: '2024-12-13' }).level).toBe('general');
    const { anti_tilt_device: _t, anti_fall_device: _f, sync_lifting_control: _s, ...cantileverOnly } = finding.facts;
    expect(() => engine.classify({ ...finding, facts: cantileverOnly, observed_at: '2024-12-13' })).toThrow(/none of its facts is read/);
  });

  it('honours the 5-day window between the notice (2022-04-19) and its publication (2022-04-24)', () => {
    for (const day of ['2022-04-19', '2022-04-21', '2022-04-23']) {
      const v = engine.classify({ standard: 'construction', observed_at: day, ...deepPitUnmonitored });
      expect(v.level, day).toBe('undetermined');
      expect(v.pack.id).toBe('construction-2022');
      expect(v.missing, day).toEqual([{ gap: 'construction-2022-publication-window', reason: 'edition-text-not-encoded', facts: [] }]);
    }
    const first = engine.classify({ standard: 'construction', observed_at: '2022-04-24', ...deepPitUnmonitored });
    expect([first.level, first.matches.map((m) => m.rule)]).toEqual(['major', ['C22-5-3']]);
    expect(first.caveats.filter((c) => c.kind === 'gap')).toEqual([]);
    expect(() => engine.classify({ standard: 'construction', observed_at: '2022-04-18', ...deepPitUnmonitored })).toThrow(/no encoded edition/);
  });
});

/**
 * Findings drawn from a pack's vocabulary, inside the fact bounds (`min`): factsArbitrary does not
 * yet honour `min`/`max`, and a finding outside them is refused.
 */
const boundedFacts = (pack: typeof pack2022) =>
  factsArbitrary(pack).map((facts) => {
    const out: Record<string, unknown> = { ...facts };
    for (const [name, value] of Object.entries(out)) {
      const fact = pack.source.facts[name];
      if (typeof value !== 'number' || !fact) continue;
      if (fact.min !== undefined && value < fact.min) out[name] = fact.min;
      if (fact.max !== undefined && value > fact.max) out[name] = fact.max;
    }
    return out;
  });

describe('scope properties', () => {
  /** Rules whose scope reads the deep-pit context fact. */
  const deepRules = (pack: typeof pack2022) => pack.source.rules.filter((r) => JSON.stringify(r.applies_when ?? {}).includes('is_deep_foundation_pit')).map((r) => r.id);

  it('the deep-excavation rules are 第五条（三） of each edition', () => {
    expect(deepRules(pack2022)).toEqual(['C22-5-3']);
    expect(deepRules(pack2024)).toEqual(['C24-5-3']);
  });

  it.each([
    ['2022', pack2022, {}],
    // 2024 第五条（三） also covers grade-1/2 high slopes: a project with neither never matches it.
    ['2024', pack2024, { slope_safety_grade: fc.constantFrom('none', 'grade_3') }],
  ] as const)('%s: a project without a deep excavation never matches a deep-excavation rule', (_edition, pack, extra) => {
    const engine = createEngine({ packs: [pack] });
    const deep = new Set(deepRules(pack));
    const finding = fc.tuple(boundedFacts(pack), fc.record(extra as Record<string, fc.Arbitrary<string>>)).map(([facts, more]) => ({
      standard: 'construction',
      observed_at: pack.source.standard.effective_to ? '2024-06-01' : '2025-06-01',
      facts: { ...facts, ...more, is_deep_foundation_pit: false },
    }));
    fc.assert(
      fc.property(finding, (f) => {
        const v = engine.classify(f);
        expect(v.matches.filter((m) => deep.has(m.rule))).toEqual([]);
        expect(v.missing.filter((m) => m.rule !== undefined && deep.has(m.rule))).toEqual([]);
      }),
      params(300),
    );
  });

  it.each([
    ['2022', pack2022, '2024-06-01'],
    ['2024', pack2024, '2025-06-01'],
  ] as const)('%s: works not in the course of construction are never major', (_edition, pack, day) => {
    const engine = createEngine({ packs: [pack] });
    const finding = boundedFacts(pack).map((facts) => ({ standard: 'construction', observed_at: day, facts: { ...facts, in_construction_phase: false } }));
    fc.assert(
      fc.property(finding, (f) => {
        expect(engine.classify(f).level).not.toBe('major');
      }),
      params(200),
    );
  });
});

describe('examples/construction.ndjson', () => {
  const engine = createEngine({ packs: [FILE_2022, FILE_2024] });
  const findings = readFileSync(join(ROOT, 'examples', 'construction.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; observed_at: string; description: string });
  const expected: Record<string, [string, string[]]> = {
    'CX-2024-1212-deep-pit': ['major', ['C22-5-3']],
    'CX-2024-1213-deep-pit': ['major', ['C24-5-3']],
    'CX-2024-1212-inrush': ['general', []],
    'CX-2024-1213-inrush': ['major', ['C24-5-4']],
    'CX-2024-1212-cantilever': ['major', ['C22-7-5']],
    'CX-2024-1213-cantilever': ['general', []],
    'CX-2022-0421-window': ['undetermined', []],
    'CX-2022-0424-first-day': ['major', ['C22-5-3']],
    'REAL-2024-panyu-9-tower-crane': ['major', ['C22-4-4']],
    'REAL-2025-chengdu-xingyue-station': ['major', ['C24-5-1']],
    'REAL-2022-senlinhuyuan-material-hoists': ['major', ['C22-8-5']],
  };

  it('holds each finding once, every one judged as expected', () => {
    expect(findings.map((f) => f.id).sort()).toEqual(Object.keys(expected).sort());
    for (const finding of findings) {
      const v = engine.classify(finding as Finding);
      expect([v.level, v.matches.map((m) => m.rule)], finding.id).toEqual(expected[finding.id]);
    }
  });

  it('has three or more real findings, each naming its public source', () => {
    const real = findings.filter((f) => f.id.startsWith('REAL-'));
    expect(real.length).toBeGreaterThanOrEqual(3);
    for (const f of real) expect(f.description, f.id).toMatch(/来源：https?:\/\//);
  });
});
