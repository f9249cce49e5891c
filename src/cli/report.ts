/**
 * `hazard-rules report <findings.ndjson> [--enterprise profile.json] -o report.html`: judges the
 * findings and writes one self-contained HTML page (no network) — major hazards with clause and
 * official text, general and undetermined ones with what is missing, counts by clause group, the
 * editions used. A line that cannot be judged is listed in the page and on stderr (exit 2).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Finding } from '../classify/finding.js';
import { HazardRulesError } from '../errors.js';
import type { GradeResult } from '../grade/index.js';
import { renderReport, type ReportError, type ReportGrade, type ReportInput } from '../report/html.js';
import { EXIT, line, openEngine, packFiles, type Io } from './io.js';

export interface ReportOptions {
  output: string;
  enterprise?: string;
  rules?: string[];
  today?: string;
  standard?: string;
  /** The grading scheme and day for the enterprise's grade (defaults: `default`, today). */
  scheme?: string;
  asOf?: string;
  /** When the report was made (default: now); fixed in tests. */
  generatedAt?: string;
  /** The chart library's browser build (default: Chart.js from node_modules, if installed). */
  chartLibrary?: string;
}

/**
 * Chart.js's UMD build (a dependency): inlined into the page, never fetched. Should it be missing
 * from an installation, reports fall back to the counts table with CSS bars.
 */
export function chartLibrary(): string | undefined {
  let root: string;
  try {
    // Its main entry (package.json may be outside its exports); the package root is above dist/.
    root = dirname(createRequire(import.meta.url).resolve('chart.js'));
    while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  } catch {
    return undefined;
  }
  for (const file of ['dist/chart.umd.min.js', 'dist/chart.umd.js']) {
    const path = join(root, file);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return undefined;
}

/** A grade as the report's grade section shows it: the letter and its meaning, then every reason. */
function gradeSection(g: GradeResult): ReportGrade {
  return {
    title: `分级 Grade — ${g.scheme.id} v${g.scheme.version}, as of ${g.as_of}`,
    level: `${g.letter} — ${g.meaning} (${g.meaning_en})`,
    summary: [g.change?.explanation, g.inspection ? `inspections ≥ ${g.inspection.min.count} per ${g.inspection.min.per_years} year(s), ≤ ${g.inspection.max_per_year} a year` : undefined, ...g.caveats.map((c) => `! ${c.message}`)]
      .filter(Boolean)
      .join('；'),
    rows: g.reasons.map((r) => ({ rule: r.rule, kind: r.kind, effect: r.effect, label: r.label, provenance: r.unverified ? `${r.provenance} [UNVERIFIED]` : r.provenance })),
  };
}

export async function report(io: Io, input: string, options: ReportOptions): Promise<number> {
  let text: string;
  let enterprise: Record<string, unknown> | undefined;
  try {
    text = readFileSync(input, 'utf8');
    if (options.enterprise) enterprise = JSON.parse(readFileSync(options.enterprise, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    line(io.stderr, `${error instanceof SyntaxError ? options.enterprise : input}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  if (enterprise !== undefined && (enterprise === null || typeof enterprise !== 'object' || Array.isArray(enterprise))) {
    line(io.stderr, `${options.enterprise}: the enterprise profile is one JSON object`);
    return EXIT.usage;
  }
  const engine = openEngine(io, { packs: packFiles(options.rules), ...(options.today ? { today: () => options.today! } : {}) });
  if (typeof engine === 'number') return engine;

  const items: ReportInput['items'] = [];
  const errors: ReportError[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let finding: Finding;
    try {
      finding = JSON.parse(raw);
      if (options.standard && (finding as { standard?: string }).standard === undefined) finding = { ...finding, standard: options.standard };
      items.push({ finding, verdict: engine.classify(finding) });
    } catch (error) {
      if (!(error instanceof HazardRulesError) && !(error instanceof SyntaxError)) throw error;
      const code = error instanceof HazardRulesError ? error.code : 'invalid-json';
      errors.push({ line: i + 1, code, message: error.message });
      line(io.stderr, `${input}:${i + 1}: ${code}: ${error.message}`);
    }
  });

  // The enterprise's A–D grade, when the profile is one a scheme can grade (its own hazards,
  // accidents and record; the findings of this report are not added to it).
  let grade: ReportGrade | undefined;
  if (enterprise) {
    try {
      grade = gradeSection(engine.grade(enterprise as never, { ...(options.scheme ? { scheme: options.scheme } : {}), ...(options.asOf ? { asOf: options.asOf } : {}) }));
    } catch (error) {
      if (!(error instanceof HazardRulesError)) throw error;
      line(io.stderr, `${options.enterprise}: not graded (${error.code}: ${error.message})`);
    }
  }

  const html = renderReport(
    { generated_at: options.generatedAt ?? new Date().toISOString(), ...(enterprise ? { enterprise } : {}), items, errors, packs: engine.packs, ...(grade ? { grade } : {}) },
    (pack, rule) => engine.pack(pack).ruleById.get(rule)?.source.group,
    { chartLibrary: options.chartLibrary ?? chartLibrary() },
  );
  try {
    writeFileSync(options.output, html);
  } catch (error) {
    line(io.stderr, `${options.output}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  line(io.stderr, `${options.output}: ${items.length} finding(s) reported, ${errors.length} line(s) could not be judged`);
  return errors.length > 0 ? EXIT.inputErrors : EXIT.ok;
}
