/**
 * The grading-scheme format (A–D supervision grading, 分级分类监管), written once, in zod: the
 * TypeScript types, and the JSON Schema in `schemas/grading-scheme.schema.json` (a test keeps the
 * two identical). A jurisdiction replaces a scheme by writing another file of this shape.
 *
 * A scheme reads an enterprise profile through three kinds of names, all usable in conditions
 * (json-rules-engine syntax, compiled by the same three-valued compiler as packs):
 *  - `facts`: what the profile states (inherent risk, 标准化 grade, a management score, flags);
 *  - `measures`: counts over the profile's dated records as of the grading day (responsible
 *    较大 accidents in the last 12 months, open 重大事故隐患 past their deadline …);
 *  - nothing else: a scheme cannot read what it does not declare.
 */
import type { z as Z } from 'zod';
import { zod } from '../lazy.js';
import { FACT_NAME, ISO_DATE, ISO_DURATION, PACK_ID, RULE_ID, SEMVER } from '../pack/format.js';
import { packSchemas } from '../pack/schema.js';

/** Where a scheme's value comes from (the reference labels each: §7 of supervision-grading.md). */
export const GRADING_PROVENANCES = ['official', 'adapted', 'library'] as const;
export const ACCIDENT_GRADES = ['ordinary', 'larger', 'major', 'especially_major'] as const;
export const SUPERVISION_LEVELS = ['county', 'city', 'province'] as const;
export const HAZARD_STATES = ['open', 'overdue', 'open_not_overdue', 'closed'] as const;
export const SCHEME_OBJECTS = ['enterprise', 'chemical_park', 'mine'] as const;

function buildSchemas(z: typeof Z) {
  const { ConditionSchema } = packSchemas();
  const name = z.string().regex(FACT_NAME);
  const text = z.string().min(1);
  const letter = z.string().regex(/^[A-Z][A-Z+-]?$/);
  const provenance = z.enum(GRADING_PROVENANCES);
  /** What every rule of a scheme says about itself: where its value comes from. */
  const attested = {
    provenance,
    sources: z.array(z.string()).optional(),
    /** The reference marks the value [UNVERIFIED]: results resting on it say so. */
    unverified: z.boolean().optional(),
    note: z.string().optional(),
  };

  const ScaleEntrySchema = z
    .strictObject({ letter, meaning: text, meaning_en: text, consequence: z.string().optional(), consequence_en: z.string().optional() })
    .meta({ id: 'ScaleEntry' });

  const SchemeFactSchema = z
    .strictObject({
      type: z.enum(['boolean', 'number', 'integer', 'enum', 'set']),
      label: text,
      label_en: text,
      values: z.array(name).min(1).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      description: z.string().optional(),
    })
    .meta({ id: 'SchemeFact' });

  const MeasureSchema = z
    .strictObject({
      label: text,
      label_en: text,
      /** Which dated records are counted. */
      count: z.enum(['accidents', 'major_hazards', 'penalties']),
      /** Only records of the last … before the grading day (ISO 8601: P12M, P3Y). */
      within: z.string().regex(ISO_DURATION).optional(),
      where: z
        .strictObject({
          grade_at_least: z.enum(ACCIDENT_GRADES).optional(),
          grade: z.enum(ACCIDENT_GRADES).optional(),
          responsible: z.boolean().optional(),
          concealed: z.boolean().optional(),
          deaths_at_least: z.number().int().min(0).optional(),
          state: z.enum(HAZARD_STATES).optional(),
          supervised_level_at_least: z.enum(SUPERVISION_LEVELS).optional(),
        })
        .optional(),
    })
    .meta({ id: 'Measure' });

  const CaseSchema = z.strictObject({ when: ConditionSchema, letter }).meta({ id: 'Case' });

  const BasePartSchema = z
    .strictObject({
      id: z.string().regex(RULE_ID),
      label: text,
      label_en: text,
      /** Tried in order: the first case whose condition holds gives the part's letter. */
      cases: z.array(CaseSchema).min(1),
      ...attested,
    })
    .meta({ id: 'BasePart' });

  const VetoSchema = z
    .strictObject({
      id: z.string().regex(RULE_ID),
      label: text,
      label_en: text,
      when: ConditionSchema,
      /** The letter the veto forces (usually the scale's last). */
      letter,
      enabled: z.boolean().optional(),
      ...attested,
    })
    .meta({ id: 'Veto' });

  const ModifierSchema = z
    .strictObject({
      id: z.string().regex(RULE_ID),
      label: text,
      label_en: text,
      when: ConditionSchema,
      effect: z.union([
        z.strictObject({ down: z.number().int().min(1) }),
        z.strictObject({ up: z.number().int().min(1), then_floor: z.array(z.string().regex(RULE_ID)).optional() }),
        z.strictObject({ floor: letter }),
      ]),
      enabled: z.boolean().optional(),
      ...attested,
    })
    .meta({ id: 'Modifier' });

  const InspectionSchema = z
    .strictObject({
      /** Planned enforcement inspections: at least `count` every `per_years` years. */
      min: z.strictObject({ count: z.number().int().min(0), per_years: z.number().int().min(1) }),
      /** At most this many per year (a high-risk sector may have its own cap). */
      max_per_year: z.strictObject({ default: z.number().int().min(0), high_risk: z.number().int().min(0).optional() }),
      ...attested,
    })
    .meta({ id: 'Inspection' });

  const SchemeExampleSchema = z
    .strictObject({
      name: z.string().optional(),
      as_of: z.string().regex(ISO_DATE),
      enterprise: z.record(z.string(), z.unknown()),
      expect: letter,
    })
    .meta({ id: 'SchemeExample' });

  const GradingSchemeSchema = z
    .strictObject({
      $schema: z.string().optional(),
      id: z.string().regex(PACK_ID),
      version: z.string().regex(SEMVER),
      title: text,
      title_en: text,
      /** What the scheme grades. */
      object: z.enum(SCHEME_OBJECTS),
      /** The instrument the scheme follows, or says it adapts. */
      basis: z.strictObject({ document: text, issuer: z.string().optional(), note: z.string().optional(), sources: z.array(z.string()).optional() }),
      effective_from: z.string().regex(ISO_DATE).optional(),
      /**
       * The letters in order of supervision need, lowest first. Their meaning is the scheme's
       * own: A is the lowest risk in one scheme and the highest in another.
       */
      scale: z.array(ScaleEntrySchema).min(2),
      facts: z.record(name, SchemeFactSchema),
      measures: z.record(name, MeasureSchema),
      base: z.strictObject({
        parts: z.array(BasePartSchema).min(1),
        /** How the parts' letters combine: the one of most supervision need. */
        combine: z.literal('worst'),
      }),
      vetoes: z.array(VetoSchema).optional(),
      modifiers: z.array(ModifierSchema).optional(),
      /** Inspection frequency per letter, where the scheme sets one. */
      inspection: z.record(letter, InspectionSchema).optional(),
      /** Sectors whose enterprises have the high-risk inspection cap. */
      high_risk_sectors: z.array(z.string()).optional(),
      regrade: z.strictObject({
        every: z.string().regex(ISO_DURATION),
        on_events: z.array(z.string()).optional(),
        ...attested,
      }),
      examples: z.array(SchemeExampleSchema).min(1),
    })
    .meta({ id: 'GradingScheme', title: 'hazard-rules grading scheme', description: 'An A–D supervision grading scheme (分级分类监管): how an enterprise profile becomes a letter, with its reasons.' });

  return { GradingSchemeSchema, MeasureSchema, VetoSchema, ModifierSchema, BasePartSchema, InspectionSchema, SchemeFactSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
export function schemeSchemas(): Schemas {
  return (schemas ??= buildSchemas(zod().z));
}

export type GradingScheme = Z.infer<Schemas['GradingSchemeSchema']>;
export type Measure = Z.infer<Schemas['MeasureSchema']>;
export type Veto = Z.infer<Schemas['VetoSchema']>;
export type Modifier = Z.infer<Schemas['ModifierSchema']>;
export type GradingProvenance = (typeof GRADING_PROVENANCES)[number];
export type AccidentGrade = (typeof ACCIDENT_GRADES)[number];

/** The JSON Schema (draft-07) of grading schemes. */
export function schemeJsonSchema(): Record<string, unknown> {
  return zod().z.toJSONSchema(schemeSchemas().GradingSchemeSchema, { target: 'draft-7', unrepresentable: 'throw' }) as Record<string, unknown>;
}
