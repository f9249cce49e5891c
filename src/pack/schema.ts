/**
 * The rule-pack format, written once, in zod.
 *
 * Everything else about a pack's shape is derived from this file:
 *  - the TypeScript types (`z.infer` below),
 *  - the JSON Schema in `schemas/rule-pack.schema.json` (draft-07, for editors and ajv),
 *    produced by `packJsonSchema()` and checked in (a test keeps the two identical).
 *
 * The schemas are built on first use (`packSchemas()`), so that code which only judges findings
 * never loads zod. Semantic checks that a schema cannot express (a fact that does not exist, an
 * operator that does not fit a fact's type, overlapping table rows …) live in `validate.ts`.
 */
import type { z as Z } from 'zod';
import { zod } from '../lazy.js';
import {
  FACT_KINDS,
  FACT_NAME,
  FACT_TYPES,
  ISO_DATE,
  ISO_DURATION,
  LEVELS,
  OPERATORS,
  PACK_ID,
  PROVENANCES,
  RULE_ID,
  SEMVER,
  SITE_LEVELS,
} from './format.js';

export * from './format.js';

export type LeafCondition = { fact: string; operator: Operator; value: string | number | boolean | Array<string | number | boolean> | { fact: string } };
export type Condition =
  | LeafCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

function buildSchemas(z: typeof Z) {
  const factName = z.string().regex(FACT_NAME);
  const ruleId = z.string().regex(RULE_ID);
  const isoDate = z.string().regex(ISO_DATE);
  const text = z.string().min(1);

  const scalar = z.union([z.string(), z.number(), z.boolean()]);

  /** `{ fact: other }` as a comparison value: json-rules-engine resolves it the same way. */
  const FactRefSchema = z.strictObject({ fact: factName }).meta({ id: 'FactRef' });

  const LeafConditionSchema = z
    .strictObject({
      fact: factName,
      operator: z.enum(OPERATORS),
      value: z.union([scalar, z.array(scalar), FactRefSchema]),
    })
    .meta({ id: 'LeafCondition' });

  const ConditionSchema: Z.ZodType<Condition> = z
    .union([
      LeafConditionSchema,
      z.strictObject({
        get all() {
          return z.array(ConditionSchema).min(1);
        },
      }),
      z.strictObject({
        get any() {
          return z.array(ConditionSchema).min(1);
        },
      }),
      z.strictObject({
        get not() {
          return ConditionSchema;
        },
      }),
    ])
    .meta({ id: 'Condition' });

  const AggregateSchema = z
    .strictObject({
      period: z.string().regex(ISO_DURATION),
      basis: z.enum(['calendar', 'rolling']),
      method: text,
      method_en: text,
    })
    .meta({ id: 'Aggregate' });

  const FactSchema = z
    .strictObject({
      type: z.enum(FACT_TYPES),
      kind: z.enum(FACT_KINDS),
      label: text,
      label_en: text,
      unit: z.string().optional(),
      /** Bounds of a number or integer fact (inclusive): a finding outside them is refused. */
      min: z.number().optional(),
      max: z.number().optional(),
      values: z.array(z.string().regex(FACT_NAME)).min(1).optional(),
      description: z.string().optional(),
      description_en: z.string().optional(),
      aggregate: AggregateSchema.optional(),
    })
    .meta({ id: 'Fact' });

  const TableRowSchema = z
    .strictObject({
      range: text,
      limit: z.number(),
    })
    .meta({ id: 'TableRow' });

  const TableSchema = z
    .strictObject({
      label: text,
      label_en: text,
      clause: text,
      input: factName,
      unit: z.string().optional(),
      rows: z.array(TableRowSchema).min(1),
    })
    .meta({ id: 'Table' });

  /** An operand of a derived fact: a fact, table or derived name — or a number. */
  const operand = z.union([factName, z.number()]);
  const pair = z.array(operand).length(2);
  const datePair = z.array(factName).length(2);

  /**
   * A number computed from recorded facts (and, for dates, the finding's `observed_at`), so that
   * a clause comparing two recorded figures is judged in the pack, not in the inspector's head.
   * Exactly one operation per entry (checked in validate.ts, which can say which).
   */
  const DerivedSchema = z
    .strictObject({
      label: text,
      label_en: text,
      unit: z.string().optional(),
      description: z.string().optional(),
      description_en: z.string().optional(),
      ratio: pair.optional(),
      difference: pair.optional(),
      sum: z.array(operand).min(2).optional(),
      product: pair.optional(),
      days_between: datePair.optional(),
      months_between: datePair.optional(),
    })
    .meta({ id: 'Derived' });

  const DefaultSchema = z
    .strictObject({
      /** A value of the fact's type: for a set fact, a list of its values. */
      value: z.union([scalar, z.array(scalar)]),
      reason: text,
      reason_en: text,
    })
    .meta({ id: 'Default' });

  const GapSchema = z
    .strictObject({
      id: ruleId,
      instrument: text,
      title: z.string().optional(),
      effective_from: isoDate.optional(),
      effective_to: isoDate.optional(),
      scope: ConditionSchema.optional(),
      missing: text,
      missing_en: text,
      effect: z.enum(['caveat', 'undetermined']),
    })
    .meta({ id: 'Gap' });

  const factValues = z.record(factName, z.unknown());

  const ExampleSchema = z
    .strictObject({
      name: z.string().optional(),
      facts: factValues,
      context: factValues.optional(),
      observed_at: isoDate.optional(),
      expect: z.enum(LEVELS),
      missing: z.array(factName).optional(),
    })
    .meta({ id: 'Example' });

  const RuleSchema = z
    .strictObject({
      id: ruleId,
      clause: text,
      text: text,
      text_en: text,
      unverified: z.boolean().optional(),
      /** The reference's status of the text: how many independent witnesses carry it. */
      provenance: z.enum(PROVENANCES).optional(),
      note: z.string().optional(),
      instrument: z.string().optional(),
      /** Rules of the previous edition (`standard.supersedes`) that this rule carries on. */
      supersedes: z.array(ruleId).min(1).optional(),
      effective_from: isoDate.optional(),
      effective_to: isoDate.optional(),
      group: z.string().regex(FACT_NAME).optional(),
      applies_when: ConditionSchema.optional(),
      when: ConditionSchema,
      unless: ConditionSchema.optional(),
      assume: z.array(factName).optional(),
      examples: z.array(ExampleSchema).min(1),
    })
    .meta({ id: 'Rule' });

  const elementSelector = z.union([
    z.array(ruleId).min(1),
    z.strictObject({ group: z.string().regex(FACT_NAME) }),
  ]);

  const SiteExampleSchema = z
    .strictObject({
      name: z.string().optional(),
      site: factValues,
      observed_at: isoDate.optional(),
      findings: z.array(
        z.strictObject({ id: z.string().optional(), facts: factValues, context: factValues.optional() }),
      ),
      expect: z.enum(SITE_LEVELS),
      path: z.enum(['direct', 'comprehensive', 'exemption']).optional(),
      branch: z.string().optional(),
    })
    .meta({ id: 'SiteExample' });

  const DeterminationSchema = z
    .strictObject({
      clause: text,
      text: z.string().optional(),
      text_en: z.string().optional(),
      counts_when: z
        .strictObject({ clause: text, text: text, text_en: text, when: ConditionSchema })
        .optional(),
      exemptions: z
        .array(
          z.strictObject({
            id: ruleId,
            clause: text,
            text: text,
            text_en: text,
            when: ConditionSchema,
            unverified: z.boolean().optional(),
          }),
        )
        .optional(),
      direct: z
        .strictObject({ clause: text, elements: elementSelector, unverified: z.boolean().optional() })
        .optional(),
      comprehensive: z
        .array(
          z.strictObject({
            id: ruleId,
            clause: text,
            text: text,
            text_en: text,
            applies_when: ConditionSchema.optional(),
            elements: elementSelector,
            at_least: z.number().int().min(1),
            unverified: z.boolean().optional(),
          }),
        )
        .optional(),
      examples: z.array(SiteExampleSchema).min(1),
    })
    .meta({ id: 'Determination' });

  const DroppedSchema = z
    .strictObject({ rule: ruleId, note: text, note_en: text })
    .meta({ id: 'Dropped' });

  const StandardSchema = z
    .strictObject({
      id: z.string().regex(PACK_ID),
      title: z.string().optional(),
      issuer: text,
      issuer_en: z.string().optional(),
      document_number: text,
      legal_form: z.string().optional(),
      issued: isoDate,
      effective_from: isoDate,
      effective_to: isoDate.optional(),
      supersedes: z.string().optional(),
      sources: z.array(z.string()).optional(),
      note: z.string().optional(),
    })
    .meta({ id: 'Standard' });

  const PackSchema = z
    .strictObject({
      $schema: z.string().optional(),
      id: z.string().regex(PACK_ID),
      version: z.string().regex(SEMVER),
      title: text,
      title_en: text,
      standard: StandardSchema,
      lead_in: z
        .strictObject({ text: text, text_en: text, unverified: z.boolean().optional() })
        .optional(),
      facts: z.record(factName, FactSchema),
      tables: z.record(factName, TableSchema).optional(),
      derived: z.record(factName, DerivedSchema).optional(),
      defaults: z.record(factName, DefaultSchema).optional(),
      gaps: z.array(GapSchema).optional(),
      rules: z.array(RuleSchema).min(1),
      /** Rules of the previous edition that this one does not carry on (the crosswalk's other half). */
      dropped: z.array(DroppedSchema).min(1).optional(),
      determination: DeterminationSchema.optional(),
    })
    .meta({
      id: 'RulePack',
      title: 'hazard-rules rule pack',
      description:
        'One edition of one major-accident-hazard determination standard: its fact vocabulary and one rule per clause.',
    });

  return { DerivedSchema, DroppedSchema, FactRefSchema, LeafConditionSchema, ConditionSchema, AggregateSchema, FactSchema, TableRowSchema, TableSchema, DefaultSchema, GapSchema, ExampleSchema, RuleSchema, SiteExampleSchema, DeterminationSchema, StandardSchema, PackSchema, elementSelector };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

/** The zod schemas of the format (built on first call). */
export function packSchemas(): Schemas {
  return (schemas ??= buildSchemas(zod().z));
}

export type Pack = Z.infer<Schemas['PackSchema']>;
export type Fact = Z.infer<Schemas['FactSchema']>;
export type FactType = (typeof FACT_TYPES)[number];
export type Rule = Z.infer<Schemas['RuleSchema']>;
export type Example = Z.infer<Schemas['ExampleSchema']>;
export type Table = Z.infer<Schemas['TableSchema']>;
export type Derived = Z.infer<Schemas['DerivedSchema']>;
export type Provenance = (typeof PROVENANCES)[number];
export type Gap = Z.infer<Schemas['GapSchema']>;
export type Determination = Z.infer<Schemas['DeterminationSchema']>;
export type SiteExample = Z.infer<Schemas['SiteExampleSchema']>;
export type Operator = (typeof OPERATORS)[number];
export type Level = (typeof LEVELS)[number];
export type SiteLevel = (typeof SITE_LEVELS)[number];
export type ElementSelector = Z.infer<Schemas['elementSelector']>;

/** The JSON Schema (draft-07: the newest yaml-language-server reads) derived from `PackSchema`. */
export function packJsonSchema(): Record<string, unknown> {
  return zod().z.toJSONSchema(packSchemas().PackSchema, { target: 'draft-7', unrepresentable: 'throw' }) as Record<string, unknown>;
}
