/**
 * The inputs of classification: a finding (one hazard an inspector recorded) and a site (all
 * findings at one place, for site-level determination). The envelope is checked here; the facts
 * are checked against the chosen edition's vocabulary (`compile/facts.ts`).
 */
import { z } from 'zod';
import type { CompiledPack } from '../compile/compile-pack.js';
import { factIssues, FindingError, type FactIssue } from '../compile/facts.js';
import { ISO_DATE } from '../pack/schema.js';
import { isCalendarDate } from '../pack/types.js';

const date = z.string().regex(ISO_DATE).refine(isCalendarDate, 'must be a real date YYYY-MM-DD');
const factRecord = z.record(z.string(), z.unknown());

export const FindingSchema = z.strictObject({
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

export type Finding = z.input<typeof FindingSchema>;

export const SiteInputSchema = z.strictObject({
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

export type SiteInput = z.input<typeof SiteInputSchema>;

export function parseEnvelope<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FactIssue[] = result.error.issues.map((issue) => ({
    code: 'bad-value',
    fact: issue.path.join('.'),
    message: `${what}: ${issue.path.join('.') || '(root)'} ${issue.message}`,
  }));
  const id = (input as { id?: unknown } | null)?.id;
  throw new FindingError(issues, typeof id === 'string' || typeof id === 'number' ? id : undefined);
}

/**
 * Merges a finding's context and facts into one fact map and checks it against the pack's
 * vocabulary. A fact given twice with different values is refused, not silently overwritten.
 */
export function factMapOf(
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

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
