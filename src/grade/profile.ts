/**
 * From an enterprise profile to what a scheme grades: the profile checked (zod, then its facts
 * against the scheme's vocabulary), each hazard judged by the edition in force on its own date
 * (or taken from the verdict given), the 重大事故隐患 among them checked for an impossible history
 * and put in their state as of the grading day.
 */
import { FindingError } from '../compile/facts.js';
import { HazardRulesError } from '../errors.js';
import { isMemberValue } from '../pack/types.js';
import type { Verdict } from '../classify/verdict.js';
import { checkHistory, enterpriseSchemas, hazardStatus, type Enterprise } from './enterprise.js';
import type { GradeCaveat, GradeInputs } from './grade.js';
import type { MajorHazard } from './measures.js';
import type { GradingScheme } from './scheme.js';

/** Judges a finding (the engine's classify). */
export type Judge = (finding: Record<string, unknown>) => Verdict;

/** Parses a profile; an invalid one is a FindingError naming the enterprise and the field. */
export function parseEnterprise(input: unknown): Enterprise {
  const result = enterpriseSchemas().EnterpriseSchema.safeParse(input);
  if (result.success) return result.data;
  const raw = (input as { id?: unknown } | null)?.id;
  const id = typeof raw === 'string' || typeof raw === 'number' ? raw : undefined;
  throw new FindingError(
    result.error.issues.map((issue) => ({
      code: 'bad-value' as const,
      fact: issue.path.join('.'),
      message: `enterprise${id !== undefined ? ` ${id}` : ''}: ${issue.path.join('.') || '(root)'} ${issue.message}`,
    })),
    id,
  );
}

export function prepare(enterprise: Enterprise, scheme: GradingScheme, judge: Judge, asOf: string): GradeInputs {
  const id = enterprise.id;
  checkFacts(enterprise, scheme);
  const caveats: GradeCaveat[] = [];
  const majorHazards: MajorHazard[] = [];
  const counts = { general: 0, undetermined: 0 };
  for (const h of enterprise.hazards) {
    const foundOn = h.found_on ?? (typeof h.finding?.observed_at === 'string' ? h.finding.observed_at : undefined);
    if (foundOn === undefined) throw new HazardRulesError('impossible-history', `enterprise ${id}, hazard ${h.id}: no found_on and no finding.observed_at — when was it found?`);
    if (foundOn > asOf) continue; // not found yet on the grading day
    let level: Verdict['level'];
    let where: { standard?: string; rule?: string; clause?: string } = {};
    if (h.verdict) {
      level = h.verdict.level;
      where = { standard: h.verdict.standard, rule: h.verdict.rule, clause: h.verdict.clause };
    } else if (h.finding) {
      const finding: Record<string, unknown> = { ...h.finding, observed_at: foundOn };
      if (finding.standard === undefined && finding.pack === undefined && enterprise.standards?.length === 1) finding.standard = enterprise.standards[0];
      if (enterprise.context && finding.context === undefined) finding.context = enterprise.context;
      let verdict: Verdict;
      try {
        verdict = judge(finding);
      } catch (error) {
        if (!(error instanceof HazardRulesError)) throw error;
        throw new HazardRulesError(error.code, `enterprise ${id}, hazard ${h.id}: ${error.message}`);
      }
      level = verdict.level;
      const m = verdict.matches[0];
      where = { standard: verdict.standard, ...(m ? { rule: m.rule, clause: m.clause } : {}) };
      if (level === 'undetermined') {
        const missing = verdict.missing.flatMap((x) => x.facts);
        caveats.push({ kind: 'hazard-undetermined', hazard: h.id, message: `hazard ${h.id} is undetermined (missing ${[...new Set(missing)].join(', ') || 'edition text'}): not counted as a 重大事故隐患` });
      }
    } else {
      throw new HazardRulesError('hazard-without-finding', `enterprise ${id}, hazard ${h.id}: give its finding or its verdict`);
    }
    if (level !== 'major') {
      counts[level]++;
      continue;
    }
    checkHistory(id, h, foundOn);
    majorHazards.push({ ...hazardStatus(h, foundOn, asOf), ...definedOnly(where) });
  }
  return {
    id,
    facts: enterprise.facts,
    sector: enterprise.sector,
    records: { accidents: enterprise.accidents, penalties: enterprise.penalties, majorHazards },
    hazardCounts: counts,
    caveats,
    suspended: enterprise.facts.suspension_ordered === true || enterprise.hazards.some((h) => h.suspended === true && h.closed_on === undefined),
    ...(enterprise.previous ? { previous: enterprise.previous } : {}),
  };
}

const definedOnly = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The profile's facts against the scheme's vocabulary: unknown names and wrong values are refused. */
function checkFacts(enterprise: Enterprise, scheme: GradingScheme): void {
  const issues: ConstructorParameters<typeof FindingError>[0] = [];
  for (const [name, value] of Object.entries(enterprise.facts)) {
    const fact = scheme.facts[name];
    if (!fact) {
      issues.push({ code: 'unknown-fact', fact: name, message: `enterprise ${enterprise.id}: scheme ${scheme.id} reads no fact "${name}"` });
      continue;
    }
    const ok =
      fact.type === 'set'
        ? Array.isArray(value) && value.every((v) => isMemberValue(fact, v))
        : isMemberValue(fact, value) && (typeof value !== 'number' || ((fact.min === undefined || value >= fact.min) && (fact.max === undefined || value <= fact.max)));
    if (!ok) issues.push({ code: 'wrong-type', fact: name, message: `enterprise ${enterprise.id}: fact "${name}" is not a valid ${fact.type}${fact.values ? ` (${fact.values.join(', ')})` : ''}` });
  }
  if (issues.length > 0) throw new FindingError(issues, enterprise.id);
}
