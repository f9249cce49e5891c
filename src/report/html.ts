/**
 * A self-contained HTML report of a batch of verdicts: one page, no network, no scripts from
 * elsewhere. Major hazards with their clause and official text; general and undetermined findings
 * with what decided them or what is missing; counts by clause group; the editions used.
 *
 * The grade section is a hook: `ReportInput.grade`, rendered when present (src/grade/ fills it).
 *
 * Charts: given a chart library's browser build (`options.chartLibrary`: Chart.js 4's UMD file,
 * inlined into the page, never fetched), the counts by clause group are drawn as a stacked bar
 * chart above their table (src/cli/report.ts finds Chart.js, a dependency, in node_modules);
 * without one the page shows the table with CSS bars.
 */
import type { PackInfo } from '../classify/engine.js';
import type { Finding } from '../classify/finding.js';
import type { Verdict } from '../classify/verdict.js';

/** An input line that could not be judged. */
export interface ReportError {
  line?: number;
  id?: string | number;
  code: string;
  message: string;
}

/**
 * The grade of the enterprise (added by src/grade/). Rendered as given: a title, a level, a
 * summary and any rows. The shape may grow; unknown fields are shown as key/value rows.
 */
export interface ReportGrade {
  title?: string;
  level?: string;
  summary?: string;
  rows?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface ReportInput {
  title?: string;
  /** When the report was made (ISO date-time); shown as given. */
  generated_at: string;
  /** The enterprise profile: shown as key/value rows, as given. */
  enterprise?: Record<string, unknown>;
  /** Each finding with its verdict (findings give the description the verdict does not carry). */
  items: Array<{ finding?: Finding; verdict: Verdict }>;
  errors?: ReportError[];
  /** The editions the verdicts name (from `engine.packs`); the others are left out. */
  packs: readonly PackInfo[];
  /** Hook for the grade section (src/grade/): rendered when present. */
  grade?: ReportGrade;
}

export interface GroupCount {
  group: string;
  major: number;
  undetermined: number;
}


/**
 * Counts by clause group: for each group (a rule's `group`, or its clause where it has none),
 * how many findings matched a rule of it (major) and how many were left open on one (undetermined).
 * A finding counts once per group.
 */
export function countsByGroup(items: ReportInput['items'], packs: readonly PackInfo[], groupOf: (pack: string, rule: string) => string | undefined): GroupCount[] {
  const counts = new Map<string, GroupCount>();
  const bump = (group: string, key: 'major' | 'undetermined') => {
    let c = counts.get(group);
    if (!c) counts.set(group, (c = { group, major: 0, undetermined: 0 }));
    c[key]++;
  };
  const clauseOf = new Map(packs.flatMap((p) => p.rules.map((r) => [`${p.id}\u0000${r.id}`, r.clause] as const)));
  const name = (pack: string, rule: string) => groupOf(pack, rule) ?? `${clauseOf.get(`${pack}\u0000${rule}`) ?? rule}`;
  for (const { verdict } of items) {
    const major = new Set(verdict.matches.map((m) => name(verdict.pack.id, m.rule)));
    const open = new Set(verdict.missing.flatMap((m) => (m.rule ? [name(verdict.pack.id, m.rule)] : m.gap ? [`gap ${m.gap}`] : [])));
    for (const g of major) bump(g, 'major');
    if (verdict.level === 'undetermined') for (const g of open) if (!major.has(g)) bump(g, 'undetermined');
  }
  return [...counts.values()];
}

const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const showValue = (v: unknown): string => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join('、') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

const CSS = `
:root { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1d2733; }
body { margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
.meta { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card b { display: block; font-size: 1.8rem; }
.major { color: #b42318; } .undetermined { color: #b54708; } .general { color: #067647; }
.bar { display: inline-block; height: .9rem; vertical-align: middle; }
.bar.major { background: #d92d20; } .bar.undetermined { background: #f79009; }
.text { font-size: .95rem; }
code { font-size: .85rem; }
`;

export interface RenderOptions {
  /**
   * The browser build of Chart.js 4 (the text of `chart.js/dist/chart.umd*.js`), inlined into the
   * page to draw the counts by clause group. Without it the counts are a table with CSS bars.
   */
  chartLibrary?: string;
}

/** The report as one HTML page. */
export function renderReport(
  input: ReportInput,
  groupOf: (pack: string, rule: string) => string | undefined = () => undefined,
  options: RenderOptions = {},
): string {
  const items = input.items;
  const count = { major: 0, general: 0, undetermined: 0 };
  for (const { verdict } of items) count[verdict.level]++;
  const errors = input.errors ?? [];
  const used = new Set(items.map((i) => i.verdict.pack.id));
  const packs = input.packs.filter((p) => used.has(p.id));
  const ruleText = new Map(input.packs.flatMap((p) => p.rules.map((r) => [`${p.id}\u0000${r.id}`, r] as const)));
  const title = input.title ?? '重大事故隐患判定报告 Major-accident-hazard determination report';
  const out: string[] = [];
  out.push(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  // No network: everything the page needs is in it.
  const script = options.chartLibrary ? ` script-src 'unsafe-inline';` : '';
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';${script} style-src 'unsafe-inline'; img-src data:">`);
  out.push(`<title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  out.push(`<h1>${esc(title)}</h1><p class="meta">生成时间 Generated ${esc(input.generated_at)} · hazard-rules</p>`);

  if (input.enterprise && Object.keys(input.enterprise).length > 0) {
    out.push(`<h2 id="enterprise">企业信息 Enterprise</h2><table id="enterprise-table"><tbody>`);
    for (const [k, v] of Object.entries(input.enterprise)) out.push(`<tr><th>${esc(k)}</th><td>${esc(showValue(v))}</td></tr>`);
    out.push(`</tbody></table>`);
  }

  out.push(`<h2 id="summary">概况 Summary</h2><div class="summary">`);
  out.push(`<div class="card major"><b id="count-major">${count.major}</b>重大事故隐患 major</div>`);
  out.push(`<div class="card undetermined"><b id="count-undetermined">${count.undetermined}</b>无法判定 undetermined</div>`);
  out.push(`<div class="card general"><b id="count-general">${count.general}</b>一般隐患 general</div>`);
  out.push(`<div class="card"><b id="count-errors">${errors.length}</b>未能判定的输入 input errors</div></div>`);

  // Counts by clause group: a Chart.js chart when the library is given, the table always.
  const groups = countsByGroup(items, input.packs, groupOf);
  const max = Math.max(1, ...groups.map((g) => g.major + g.undetermined));
  out.push(`<h2 id="by-group">按条款分组统计 Counts by clause group</h2>`);
  const chart = options.chartLibrary !== undefined && groups.length > 0;
  out.push(
    chart
      ? `<figure id="chart-by-group" data-chart="chart.js">`
      : `<figure id="chart-by-group" data-chart="html-table"><!-- no chart library: the counts as a table with CSS bars -->`,
  );
  if (chart) {
    const height = 60 + groups.length * 28;
    out.push(`<canvas id="group-chart" width="1000" height="${height}" role="img" aria-label="按条款分组统计 Counts by clause group"></canvas>`);
    out.push(`<script>${inlineScript(options.chartLibrary!)}</script>`);
    out.push(`<script>${inlineScript(chartScript(groups))}</script>`);
  }
  if (groups.length === 0) out.push(`<p>没有重大或无法判定的隐患。 No major or undetermined findings.</p>`);
  else {
    out.push(`<table id="group-table"><thead><tr><th>条款组 Group</th><th>重大 major</th><th>无法判定 undetermined</th><th style="width:45%"></th></tr></thead><tbody>`);
    for (const g of groups) {
      const w = (n: number) => `${((n / max) * 100).toFixed(1)}%`;
      out.push(
        `<tr><td>${esc(g.group)}</td><td>${g.major}</td><td>${g.undetermined}</td><td><span class="bar major" style="width:${w(g.major)}"></span><span class="bar undetermined" style="width:${w(g.undetermined)}"></span></td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  }
  out.push(`<figcaption>红：重大事故隐患；橙：无法判定。 Red: major; orange: undetermined.</figcaption></figure>`);

  const described = (i: ReportInput['items'][number]) => esc(i.finding?.description ?? '');
  const majors = items.filter((i) => i.verdict.level === 'major');
  out.push(`<h2 id="major">重大事故隐患 Major hazards (${majors.length})</h2>`);
  if (majors.length > 0) {
    out.push(`<table id="major-table"><thead><tr><th>隐患 Finding</th><th>日期 Date</th><th>条款 Clause</th><th>判定依据原文 Official text</th><th>事实 Facts</th></tr></thead><tbody>`);
    for (const item of majors) {
      const v = item.verdict;
      for (const m of v.matches) {
        const facts = Object.entries(m.facts).map(([k, x]) => `<code>${esc(k)}</code> = ${esc(showValue(x))}`).join('<br>');
        const flag = m.unverified ? ' <em>[未核实 unverified]</em>' : m.provenance === 'verbatim-1' ? ' <em>[单一来源 single witness]</em>' : '';
        out.push(
          `<tr><td>${esc(v.id ?? '')}<br>${described(item)}</td><td>${esc(v.observed_at)}</td><td>${esc(m.clause)}<br><code>${esc(m.rule)}</code><br>${esc(m.instrument)}</td><td class="text">${esc(m.text)}${flag}<br><span class="meta">${esc(m.text_en)}</span></td><td>${facts}</td></tr>`,
        );
      }
    }
    out.push(`</tbody></table>`);
  }

  const open = items.filter((i) => i.verdict.level === 'undetermined');
  out.push(`<h2 id="undetermined">无法判定 Undetermined (${open.length})</h2>`);
  if (open.length > 0) {
    out.push(`<table id="undetermined-table"><thead><tr><th>隐患 Finding</th><th>日期 Date</th><th>缺少什么 What is missing</th></tr></thead><tbody>`);
    for (const item of open) {
      const v = item.verdict;
      const what = v.missing
        .map((m) =>
          m.reason === 'edition-text-not-encoded'
            ? `${esc(m.gap)}: 版本条文未编码 edition text not encoded`
            : `${esc(m.clause ?? '')} <code>${esc(m.rule ?? '')}</code>: ${m.facts.map((f) => `<code>${esc(f)}</code>`).join('、')}`,
        )
        .join('<br>');
      out.push(`<tr><td>${esc(v.id ?? '')}<br>${described(item)}</td><td>${esc(v.observed_at)}</td><td>${what}</td></tr>`);
    }
    out.push(`</tbody></table>`);
  }

  const general = items.filter((i) => i.verdict.level === 'general');
  out.push(`<h2 id="general">一般隐患 General (${general.length})</h2>`);
  if (general.length > 0) {
    out.push(`<table id="general-table"><thead><tr><th>隐患 Finding</th><th>日期 Date</th><th>已核对未达标准的条款 Clauses checked and not met</th><th>提示 Caveats</th></tr></thead><tbody>`);
    for (const item of general) {
      const v = item.verdict;
      const checked = v.checked.map((id) => `${esc(ruleText.get(`${v.pack.id}\u0000${id}`)?.clause ?? '')} <code>${esc(id)}</code>`).join('、');
      const caveats = v.caveats.map((c) => (c.kind === 'gap' ? esc(c.missing) : `${esc(c.clause)} ${c.kind === 'unverified-rule' ? '条文未核实 unverified' : '单一来源 single witness'}`)).join('<br>');
      out.push(`<tr><td>${esc(v.id ?? '')}<br>${described(item)}</td><td>${esc(v.observed_at)}</td><td>${checked}</td><td>${caveats}</td></tr>`);
    }
    out.push(`</tbody></table>`);
  }

  if (errors.length > 0) {
    out.push(`<h2 id="errors">未能判定的输入 Input that could not be judged (${errors.length})</h2><table id="errors-table"><thead><tr><th>行 Line</th><th>代码 Code</th><th>说明 Message</th></tr></thead><tbody>`);
    for (const e of errors) out.push(`<tr><td>${esc(e.line ?? '')}</td><td><code>${esc(e.code)}</code></td><td>${esc(e.message)}</td></tr>`);
    out.push(`</tbody></table>`);
  }

  // ---- GRADE HOOK: the grade section (src/grade/), rendered only when `input.grade` is given. ----
  if (input.grade) out.push(renderGrade(input.grade));
  // ---- end of grade hook ----

  out.push(`<h2 id="editions">判定所依据的版本 Editions used</h2><table id="editions-table"><thead><tr><th>版本 Pack</th><th>标准 Standard</th><th>文号 Document</th><th>施行期间 In force</th><th>内容哈希 Hash</th></tr></thead><tbody>`);
  for (const p of packs) {
    out.push(
      `<tr><td><code>${esc(p.id)}</code> v${esc(p.version)}</td><td>${esc(p.title)}<br><span class="meta">${esc(p.title_en)}</span></td><td>${esc(p.document_number)}</td><td>${esc(p.effective_from)} – ${p.effective_to ? esc(p.effective_to) : '至今 in force'}</td><td><code>${esc(p.hash.slice(0, 16))}…</code></td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  out.push(`</body></html>\n`);
  return out.join('\n');
}

/** The grade section: title, level and summary, then its rows (or its other fields) as a table. */
function renderGrade(grade: ReportGrade): string {
  const out: string[] = [`<section id="grade"><h2>${esc(grade.title ?? '分级 Grade')}</h2>`];
  if (grade.level !== undefined) out.push(`<p><b id="grade-level">${esc(grade.level)}</b></p>`);
  if (grade.summary !== undefined) out.push(`<p>${esc(grade.summary)}</p>`);
  const rows = grade.rows ?? [];
  if (rows.length > 0) {
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    out.push(`<table id="grade-table"><thead><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>`);
    for (const r of rows) out.push(`<tr>${keys.map((k) => `<td>${esc(r[k] === undefined ? '' : showValue(r[k]))}</td>`).join('')}</tr>`);
    out.push(`</tbody></table>`);
  }
  const others = Object.entries(grade).filter(([k]) => !['title', 'level', 'summary', 'rows'].includes(k));
  if (others.length > 0) {
    out.push(`<table><tbody>`);
    for (const [k, v] of others) out.push(`<tr><th>${esc(k)}</th><td>${esc(showValue(v))}</td></tr>`);
    out.push(`</tbody></table>`);
  }
  out.push(`</section>`);
  return out.join('\n');
}

/** Text placed inside <script>: a `</script` in it would end the element early. */
const inlineScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');

/** The Chart.js configuration of the counts by clause group: a stacked horizontal bar chart. */
function chartScript(groups: GroupCount[]): string {
  const data = {
    labels: groups.map((g) => g.group),
    datasets: [
      { label: '重大事故隐患 major', data: groups.map((g) => g.major), backgroundColor: '#d92d20' },
      { label: '无法判定 undetermined', data: groups.map((g) => g.undetermined), backgroundColor: '#f79009' },
    ],
  };
  const config = {
    type: 'bar',
    data,
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: false,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
    },
  };
  // JSON is valid JavaScript; `<` escaped so that no text of a group can close the script.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `new Chart(document.getElementById('group-chart'), ${json});`;
}
