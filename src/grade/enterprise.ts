/**
 * The enterprise profile a grade is computed from, and the lifecycle of its 重大事故隐患
 * (一单四制 / 挂牌督办, supervision-grading.md §5): recorded → 挂牌督办 → rectifying → 验收 → 销号,
 * each step dated. Whether a hazard is open, and whether it is past its deadline, is computed
 * from those dates as of the grading day — never asserted by the caller. A history that cannot
 * have happened (closed before found, 销号 without a passed 验收) is refused, naming the hazard.
 */
import type { z as Z } from 'zod';
import { zod } from '../lazy.js';
import { HazardRulesError } from '../errors.js';
import { ISO_DATE } from '../pack/format.js';
import { isCalendarDate } from '../pack/types.js';
import { ACCIDENT_GRADES, SUPERVISION_LEVELS } from './scheme.js';

function buildSchemas(z: typeof Z) {
  const date = z.string().regex(ISO_DATE).refine(isCalendarDate, 'must be a real date YYYY-MM-DD');
  const record = z.record(z.string(), z.unknown());

  const AccidentSchema = z.strictObject({
    id: z.string().optional(),
    date,
    /** 一般 / 较大 / 重大 / 特别重大 (国务院令第493号). */
    grade: z.enum(ACCIDENT_GRADES),
    deaths: z.number().int().min(0).default(0),
    /** The enterprise is responsible (责任事故). */
    responsible: z.boolean().default(true),
    /** 瞒报 / 谎报. */
    concealed: z.boolean().default(false),
    description: z.string().optional(),
  });

  const PenaltySchema = z.strictObject({ date, decision: z.string().optional(), description: z.string().optional() });

  const HazardSchema = z.strictObject({
    id: z.string(),
    /** The finding as recorded: it is judged by the edition in force on its own date. */
    finding: record.optional(),
    /** Or a verdict already given (its level and clause). */
    verdict: z
      .strictObject({ level: z.enum(['major', 'general', 'undetermined']), standard: z.string().optional(), pack: z.string().optional(), rule: z.string().optional(), clause: z.string().optional() })
      .optional(),
    /** 排查发现: defaults to the finding's observed_at. */
    found_on: date.optional(),
    reported_on: date.optional(),
    /** 挂牌督办: by which level, when, by whom. */
    supervision: z.strictObject({ level: z.enum(SUPERVISION_LEVELS), listed_on: date, body: z.string().optional() }).optional(),
    /** 整改完成时限. */
    deadline: date.optional(),
    /** 一单四制 / 五到位: who, what, with which money, by when, with which contingency plan. */
    plan: z
      .strictObject({ responsible_person: z.string(), measures: z.string(), funds: z.string(), deadline: date, contingency_plan: z.string() })
      .optional(),
    rectifying_from: date.optional(),
    /** 停产停业整改. */
    suspended: z.boolean().optional(),
    assessed_on: date.optional(),
    closure_requested_on: date.optional(),
    /** 验收: the day and its outcome. */
    verification: z.strictObject({ on: date, passed: z.boolean() }).optional(),
    /** 销号 / 核销. */
    closed_on: date.optional(),
  });

  const EnterpriseSchema = z.strictObject({
    id: z.union([z.string(), z.number()]),
    name: z.string().optional(),
    /** The jurisdiction's 行业领域类别; decides the high-risk inspection cap. */
    sector: z.string().optional(),
    /** The standards whose packs judge its findings (a chemical plant with boilers: both). */
    standards: z.array(z.string()).optional(),
    /** Context facts shared with the packs (major_hazard_source_level, in_chemical_park …). */
    context: record.optional(),
    /** The facts the grading scheme reads (inherent_risk, standardization, management_score …). */
    facts: record.default({}),
    accidents: z.array(AccidentSchema).default([]),
    penalties: z.array(PenaltySchema).default([]),
    hazards: z.array(HazardSchema).default([]),
    /** The previous grade, for the explanation of what changed. */
    previous: z.strictObject({ letter: z.string(), as_of: date, scheme: z.string().optional(), reasons: z.array(z.string()).optional() }).optional(),
  });
  return { EnterpriseSchema, HazardSchema, AccidentSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
export function enterpriseSchemas(): Schemas {
  return (schemas ??= buildSchemas(zod().z));
}

export type EnterpriseInput = Z.input<Schemas['EnterpriseSchema']>;
export type Enterprise = Z.output<Schemas['EnterpriseSchema']>;
export type HazardRecord = Z.output<Schemas['HazardSchema']>;
export type Accident = Z.output<Schemas['AccidentSchema']>;

export interface HazardStatus {
  id: string;
  found_on: string;
  open: boolean;
  overdue: boolean;
  /** The first day past the deadline, for an overdue hazard. */
  overdue_since?: string;
  deadline?: string;
  supervision?: HazardRecord['supervision'];
  closed_on?: string;
}

const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The state of a 重大事故隐患 on a day. Steps dated after that day have not happened yet. The
 * deadline is the 挂牌督办 / 交办 deadline, else the plan's.
 */
export function hazardStatus(h: HazardRecord, foundOn: string, asOf: string): HazardStatus {
  const closed = h.closed_on !== undefined && h.closed_on <= asOf;
  const deadline = h.deadline ?? h.plan?.deadline;
  const overdue = !closed && deadline !== undefined && asOf > deadline;
  return {
    id: h.id,
    found_on: foundOn,
    open: !closed,
    overdue,
    ...(overdue ? { overdue_since: dayAfter(deadline!) } : {}),
    ...(deadline ? { deadline } : {}),
    ...(h.supervision ? { supervision: h.supervision } : {}),
    ...(closed ? { closed_on: h.closed_on } : {}),
  };
}

/** Refuses a history that cannot have happened, naming the enterprise, the hazard and the dates. */
export function checkHistory(enterpriseId: string | number, h: HazardRecord, foundOn: string): void {
  const fail = (why: string) => {
    throw new HazardRulesError('impossible-history', `enterprise ${enterpriseId}, hazard ${h.id}: ${why}`);
  };
  const steps: Array<[string, string | undefined]> = [
    ['reported_on', h.reported_on],
    ['supervision.listed_on', h.supervision?.listed_on],
    ['deadline', h.deadline],
    ['rectifying_from', h.rectifying_from],
    ['assessed_on', h.assessed_on],
    ['closure_requested_on', h.closure_requested_on],
    ['verification.on', h.verification?.on],
    ['closed_on', h.closed_on],
  ];
  for (const [step, date] of steps) if (date !== undefined && date < foundOn) fail(`${step} ${date} is before it was found (${foundOn})`);
  if (h.closed_on !== undefined) {
    if (!h.verification) fail(`closed (销号) on ${h.closed_on} without a verification (验收)`);
    else if (!h.verification.passed) fail(`closed (销号) on ${h.closed_on} although its verification (验收) on ${h.verification.on} failed`);
    else if (h.verification.on > h.closed_on) fail(`closed (销号) on ${h.closed_on} before its verification (验收) on ${h.verification.on}`);
  }
  if (h.closure_requested_on && h.verification && h.verification.on < h.closure_requested_on) {
    fail(`verified (验收) on ${h.verification.on} before closure was requested (${h.closure_requested_on})`);
  }
}
