/**
 * Running a pack's own examples: each rule's, judged by the whole pack on its edition, and the
 * site determination's. A failing example is a diagnostic at the example's position, so a pack
 * author sees it in `hazard-rules validate` as well as in `hazard-rules test`.
 */
import type { CompiledPack } from '../compile/compile-pack.js';
import { FindingError } from '../compile/facts.js';
import { diagnostic, type Diagnostic } from '../pack/diagnostics.js';
import type { Locator, PathSegment } from '../pack/load.js';
import { covers } from './editions.js';
import { factMapOf } from './finding.js';
import { judge } from './judge.js';
import { judgeSite } from './site.js';

export interface ExampleResult {
  pack: string;
  /** The rule the example belongs to; absent for site-determination examples. */
  rule?: string;
  index: number;
  name?: string;
  expected: string;
  actual: string;
  ok: boolean;
  detail?: string;
}

export function runExamples(pack: CompiledPack, locate: Locator = () => ({ line: 1, col: 1 })): { results: ExampleResult[]; diagnostics: Diagnostic[] } {
  const results: ExampleResult[] = [];
  const diagnostics: Diagnostic[] = [];
  const file = pack.file ?? '<pack>';
  const fail = (path: PathSegment[], code: 'example-invalid' | 'example-mismatch' | 'site-example-mismatch', args: Record<string, string>) =>
    diagnostics.push(diagnostic(code, args, { file, path: '/' + path.join('/'), ...locate(path) }));

  pack.rules.forEach((rule, r) => {
    rule.source.examples.forEach((example, i) => {
      const path: PathSegment[] = ['rules', r, 'examples', i];
      const result: ExampleResult = { pack: pack.id, rule: rule.id, index: i, name: example.name, expected: example.expect, actual: 'error', ok: false };
      results.push(result);
      const date = example.observed_at ?? rule.effectiveFrom ?? pack.effectiveFrom;
      if (!covers(pack, date)) {
        result.detail = `observed_at ${date} is outside the edition`;
        fail([...path, 'observed_at'], 'example-invalid', { detail: result.detail });
        return;
      }
      let facts;
      try {
        facts = factMapOf(pack, example.context, example.facts);
      } catch (error) {
        if (!(error instanceof FindingError)) throw error;
        result.detail = error.message;
        fail([...path, 'facts'], 'example-invalid', { detail: error.message });
        return;
      }
      const judgement = judge(pack, facts, date);
      result.actual = judgement.level;
      const matched = judgement.matches.some((m) => m.rule === rule.id);
      const open = judgement.missing.find((m) => m.rule === rule.id);
      const problems: string[] = [];
      if (judgement.level !== example.expect) {
        const others = judgement.matches.map((m) => m.rule).filter((id) => id !== rule.id);
        if (others.length > 0) problems.push(`matched ${others.join(', ')}`);
        const missing = judgement.missing.map((m) => `${m.rule ?? m.gap}: ${m.facts.join(', ') || m.reason}`);
        if (missing.length > 0) problems.push(`undetermined by ${missing.join('; ')}`);
      }
      if (example.expect === 'major' && !matched) problems.push(`rule ${rule.id} did not match`);
      if (example.expect !== 'major' && matched) problems.push(`rule ${rule.id} matched`);
      for (const fact of example.missing ?? []) {
        if (!open?.facts.includes(fact)) problems.push(`fact ${fact} is not named missing for ${rule.id} (named: ${open?.facts.join(', ') || 'none'})`);
      }
      result.ok = problems.length === 0;
      if (!result.ok) {
        result.detail = problems.join('; ');
        fail(path, 'example-mismatch', { expected: example.expect, actual: judgement.level, detail: result.detail });
      }
    });
  });

  pack.source.determination?.examples.forEach((example, i) => {
    const path: PathSegment[] = ['determination', 'examples', i];
    const result: ExampleResult = { pack: pack.id, index: i, name: example.name, expected: example.expect, actual: 'error', ok: false };
    results.push(result);
    const date = example.observed_at ?? pack.effectiveFrom;
    let site;
    let findings;
    try {
      site = factMapOf(pack, example.site);
      findings = example.findings.map((f, j) => ({ id: f.id ?? `#${j}`, facts: factMapOf(pack, example.site, factMapOf(pack, f.context, f.facts)) }));
    } catch (error) {
      if (!(error instanceof FindingError)) throw error;
      result.detail = error.message;
      fail(path, 'example-invalid', { detail: error.message });
      return;
    }
    const verdict = judgeSite(pack, site, findings, date, 'observed_at');
    result.actual = verdict.level;
    const problems: string[] = [];
    if (verdict.level !== example.expect) problems.push(`level ${verdict.level}`);
    if (example.path && verdict.path !== example.path) problems.push(`path ${verdict.path ?? 'none'}, expected ${example.path}`);
    if (example.branch && !(verdict.branch ?? []).includes(example.branch)) problems.push(`branch ${verdict.branch?.join(', ') ?? 'none'}, expected ${example.branch}`);
    result.ok = problems.length === 0;
    if (!result.ok) {
      result.detail = problems.join('; ');
      fail(path, 'site-example-mismatch', { expected: `${example.expect}${example.path ? ` (${example.path}${example.branch ? ` ${example.branch}` : ''})` : ''}`, actual: `${verdict.level}: ${result.detail}` });
    }
  });
  return { results, diagnostics };
}
