/**
 * The inputs of classification: a finding (one hazard an inspector recorded) and a site (all
 * findings at one place, for site-level determination). The envelope is checked here; the facts
 * are checked against the chosen edition's vocabulary (`compile/facts.ts`).
 */
import type { z } from 'zod';
import { zod } from '../lazy.js';
import type { CompiledPack } from '../compile/compile-pack.js';
import { factIssues, FindingError, isCalendarDateCached, type FactIssue } from '../compile/facts.js';
import { ISO_DATE } from '../pack/format.js';
import { isCalendarDate } from '../pack/types.js';

function buildSchemas(z: typeof import('zod').z) {
  const date = z.string().regex(ISO_DATE).refine(isCalendarDate, 'must be a real date YYYY-MM-DD');
  const factRecord = z.record(z.string(), z.unknown());

  const FindingSchema = z.strictObject({
    /** Your id for the finding; echoed in the verdict. */
    id: z.union([z.string(), z.number()]).optional(),
    /** The standard (`fireworks`, `coal-mine` …); optional when the engine holds one standard. */
    standard: z.string().optional(),
    /** Pin an edition by pack id instead of choosing it by date. */
    pack: z.string().optional(),
    /** The day the hazard was observed: it chooses the edition. Today (Asia/Shanghai) when absent. */
    observed_at: date.optional(),
    description: z.string().optional(),
    /** What the inspector observed. */
    facts: factRecord,
    /** What the enterprise or site is (category, mine type …). */
    context: factRecord.optional(),
    /** Anything of yours, echoed in the verdict untouched. */
    meta: z.unknown().optional(),
  });

  const SiteInputSchema = z.strictObject({
    standard: z.string().optional(),
    pack: z.string().optional(),
    observed_at: date.optional(),
    /** The site's own facts: categories, exemption facts. Every finding sees them too. */
    site: factRecord,
    findings: z.array(
      z.strictObject({
        id: z.union([z.string(), z.number()]).optional(),
        description: z.string().optional(),
        facts: factRecord,
        context: factRecord.optional(),
      }),
    ),
  });

  return { FindingSchema, SiteInputSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

/** The input schemas (built on first use: valid input never needs them). */
export function inputSchemas(): Schemas {
  return (schemas ??= buildSchemas(zod().z));
}

export type SiteInput = z.input<Schemas['SiteInputSchema']>;
export type Finding = z.input<Schemas['FindingSchema']>;
type ParsedFinding = z.output<Schemas['FindingSchema']>;

/** The envelope's keys, as the schema declares them (kept in step by a test). */
export const FINDING_KEYS: ReadonlySet<string> = new Set(['id', 'standard', 'pack', 'observed_at', 'description', 'facts', 'context', 'meta']);
const isRecord = (v: unknown): v is Record<string, unknown> => isPlainObject(v);

/**
 * A plain object ({} or Object.create(null)): a Map, a class instance or an array would be read
 * as having no facts, and a finding without facts must never pass for a clean one.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * The fast path of `FindingSchema`: true only for inputs the schema accepts unchanged, so a
 * finding that passes needs no parse (a property test keeps the two in step). Anything else goes
 * through zod, which says what is wrong.
 */
export function isPlainFinding(input: unknown): input is ParsedFinding {
  if (!isRecord(input)) return false;
  for (const key in input) if (!FINDING_KEYS.has(key)) return false;
  const { id, facts, context, observed_at } = input;
  return (
    isRecord(facts) &&
    (context === undefined || isRecord(context)) &&
    (id === undefined || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) &&
    optionalString(input.standard) &&
    optionalString(input.pack) &&
    optionalString(input.description) &&
    (observed_at === undefined || (typeof observed_at === 'string' && isCalendarDateCached(observed_at)))
  );
}


export function parseEnvelope<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const rawId = (input as { id?: unknown } | null)?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : undefined;
  const where = `${what}${id !== undefined ? ` ${id}` : ''}`;
  // zod reads a Map or a class instance as a record with no keys: refuse it by name.
  const notPlain = nonPlainRecords(input);
  if (notPlain.length > 0) {
    throw new FindingError(notPlain.map((field) => ({ code: 'wrong-type', fact: field, message: `${where}: ${field} must be a plain object (not a Map or class instance)` })), id);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FactIssue[] = result.error.issues.map((issue) => ({
    code: 'bad-value',
    fact: issue.path.join('.'),
    message: `${where}: ${issue.path.join('.') || '(root)'} ${issue.message}`,
  }));
  throw new FindingError(issues, id);
}

/** The fact records of an input (finding or site) that are objects but not plain ones. */
function nonPlainRecords(input: unknown): string[] {
  if (input === null || typeof input !== 'object') return [];
  const record = input as Record<string, unknown>;
  const bad = (v: unknown) => v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v) && !isPlainObject(v);
  const out = ['facts', 'context', 'site'].filter((k) => bad(record[k]));
  if (Array.isArray(record.findings)) {
    record.findings.forEach((f, i) => {
      if (f && typeof f === 'object') for (const k of ['facts', 'context']) if (bad((f as Record<string, unknown>)[k])) out.push(`findings.${i}.${k}`);
    });
  }
  return out;
}

/**
 * Merges a finding's context (`base`) and facts (`over`) into one fact map checked against the
 * pack's vocabulary. A fact given twice with different values is refused, not silently overwritten.
 */
export function factMapOf(
  pack: CompiledPack,
  base: Readonly<Record<string, unknown>> | undefined,
  over?: Readonly<Record<string, unknown>>,
  id?: string | number,
): Readonly<Record<string, unknown>> {
  // Fast path: each part valid as it is; a single part with facts is used as given (never mutated).
  const baseValid = base === undefined || pack.factsAreValid(base);
  const overValid = over === undefined || pack.factsAreValid(over);
  if (baseValid && overValid) {
    if (over === undefined || isEmpty(over)) return base ?? NO_FACTS;
    if (base === undefined || isEmpty(base)) return over;
    const merged: Record<string, unknown> = Object.create(null);
    for (const key in base) merged[key] = base[key];
    for (const key in over) {
      if (key in merged && !sameValue(merged[key], over[key])) return checkedFactMap(pack, [base, over], id);
      merged[key] = over[key];
    }
    return merged;
  }
  return checkedFactMap(pack, [base, over], id);
}

/** Layers merged and checked through zod: conflicts and invalid facts become a `FindingError`. */
function checkedFactMap(
  pack: CompiledPack,
  layers: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>,
  id?: string | number,
): Record<string, unknown> {
  const merged: Record<string, unknown> = Object.create(null);
  const issues: FactIssue[] = [];
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(layer)) {
      const value = layer[key];
      if (value === undefined) continue;
      if (key in merged && !sameValue(merged[key], value)) {
        issues.push({ code: 'bad-value', fact: key, message: `fact "${key}" is given twice with different values` });
      }
      merged[key] = value;
    }
  }
  if (issues.length > 0) throw new FindingError(issues, id);
  const result = pack.factsSchema.safeParse({ ...merged });
  if (!result.success) throw new FindingError(factIssues(result.error, `pack ${pack.id}`), id);
  const facts: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(result.data)) if (result.data[key] !== undefined) facts[key] = result.data[key];
  return facts;
}

/** Trusted input: the layers merged as they are, unchecked. */
export function trustedFactMap(
  base: Readonly<Record<string, unknown>> | undefined,
  over: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> {
  if (base === undefined || isEmpty(base)) return over ?? NO_FACTS;
  if (over === undefined || isEmpty(over)) return base;
  return { ...base, ...over };
}

const NO_FACTS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));

function isEmpty(record: object): boolean {
  for (const _ in record) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
