/**
 * The facts a finding may carry, as a zod schema derived from the pack's vocabulary: the one
 * place a finding's shape is defined. Wrong types, unknown facts and undeclared enum values
 * become a `FindingError` that names the fact — never a verdict.
 */
import type { z } from 'zod';
import { zod } from '../lazy.js';
import { HazardRulesError } from '../errors.js';
import type { Fact, Pack } from '../pack/schema.js';
import { isCalendarDate } from '../pack/types.js';

export function factSchema(fact: Fact): z.ZodType {
  const { z } = zod();
  switch (fact.type) {
    case 'boolean':
      return z.boolean();
    case 'number':
      return bounded(z.number().refine(Number.isFinite, 'must be a finite number'), fact);
    case 'integer':
      return bounded(z.number().int(), fact);
    case 'enum':
      return z.enum(fact.values as [string, ...string[]]);
    case 'set':
      return z
        .array(z.enum(fact.values as [string, ...string[]]))
        .refine((xs) => new Set(xs).size === xs.length, 'must not repeat a value');
    case 'string':
      return z.string();
    case 'date':
      return z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD');
  }
}

/** A number schema within the fact's declared bounds (`min` / `max`, inclusive). */
function bounded<T extends z.ZodType<number>>(schema: T, fact: Fact): z.ZodType<number> {
  const { min, max } = fact;
  if (min === undefined && max === undefined) return schema;
  return schema.refine(
    (v) => (min === undefined || v >= min) && (max === undefined || v <= max),
    `must be ${min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`}`,
  );
}

/** A strict object schema of every fact of the pack, each optional: missing facts are allowed. */
export function factsSchema(pack: Pack): z.ZodType<Record<string, unknown>> {
  const { z } = zod();
  const shape: Record<string, z.ZodType> = {};
  for (const [name, fact] of Object.entries(pack.facts)) shape[name] = factSchema(fact).optional();
  return z.strictObject(shape) as unknown as z.ZodType<Record<string, unknown>>;
}

/** The test of one fact's value, compiled once (the same acceptance as `factSchema`). */
export function valueCheck(fact: Fact): (v: unknown) => boolean {
  switch (fact.type) {
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'number':
      return withinBounds(fact, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'integer':
      return withinBounds(fact, (v) => Number.isSafeInteger(v));
    case 'enum': {
      const values = new Set<unknown>(fact.values);
      return (v) => values.has(v);
    }
    case 'set': {
      const values = new Set<unknown>(fact.values);
      return (v) => Array.isArray(v) && v.every((x) => values.has(x)) && new Set(v).size === v.length;
    }
    case 'string':
      return (v) => typeof v === 'string';
    case 'date':
      return (v) => typeof v === 'string' && isCalendarDateCached(v);
  }
}

function withinBounds(fact: Fact, isNumber: (v: unknown) => boolean): (v: unknown) => boolean {
  const { min, max } = fact;
  if (min === undefined && max === undefined) return isNumber;
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return (v) => isNumber(v) && (v as number) >= lo && (v as number) <= hi;
}

const knownDates = new Map<string, boolean>();
/** Findings repeat a few hundred dates; remember the verdict on each (bounded). */
export function isCalendarDateCached(value: string): boolean {
  let known = knownDates.get(value);
  if (known === undefined) {
    known = isCalendarDate(value);
    if (knownDates.size > 10_000) knownDates.clear();
    knownDates.set(value, known);
  }
  return known;
}

export type FactIssueCode = 'unknown-fact' | 'wrong-type' | 'bad-enum' | 'bad-value' | 'no-rule-reached' | 'not-context';

export interface FactIssue {
  code: FactIssueCode;
  fact: string;
  message: string;
}

/** Turns zod's issues into issues that name the fact concerned. */
export function factIssues(error: z.ZodError, where: string): FactIssue[] {
  const issues: FactIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ code: 'unknown-fact', fact: key, message: `${where}: unknown fact "${key}"` });
      }
      continue;
    }
    const fact = String(issue.path[0] ?? '');
    const code: FactIssueCode =
      issue.code === 'invalid_type' ? 'wrong-type' : issue.code === 'invalid_value' ? 'bad-enum' : 'bad-value';
    issues.push({ code, fact, message: `${where}: fact "${fact}" ${issue.message}` });
  }
  return issues;
}

/** A finding that cannot be judged: the error names each fact at fault. */
export class FindingError extends HazardRulesError {
  constructor(
    readonly issues: FactIssue[],
    readonly findingId?: string | number,
  ) {
    super(issues[0]?.code ?? 'invalid-finding', issues.map((i) => i.message).join('; '));
    this.name = 'FindingError';
  }

  /** The facts at fault. */
  get facts(): string[] {
    return this.issues.map((i) => i.fact).filter((f) => f !== '');
  }
}
