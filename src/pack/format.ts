/**
 * The fixed vocabulary of the rule-pack format: name patterns, fact types, operators, verdict
 * levels. Plain constants, free of zod, so that judging findings never loads the schema library.
 */

/** Names a pack author chooses: facts, tables. Lower snake case, so they are safe as object keys. */
export const FACT_NAME = /^[a-z][a-z0-9_]*$/;
/** Rule ids keep the official numbering visible (FW2017-01, NM2024-补充一-1 …). */
export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._\-\u4e00-\u9fff]*$/;
export const PACK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
/** Calendar dates only (YYYY-MM-DD): a finding is judged by the day it was observed. */
export const ISO_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
/** ISO 8601 durations for the period of an aggregated fact (P1Y, P3M, PT72H …). */
export const ISO_DURATION = /^P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

export const FACT_TYPES = ['boolean', 'number', 'integer', 'enum', 'set', 'string', 'date'] as const;
export const FACT_KINDS = ['observation', 'context'] as const;

/** json-rules-engine's built-in operators: packs stay runnable on json-rules-engine. */
export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;

/**
 * The status the references give a clause's text: `verbatim-2` two independent witnesses agree,
 * `verbatim-1` one secondary witness only, `unverified` a reconstruction, `partial` only part of
 * the text seen, `press` known only from press reports. The last three need `unverified: true`.
 */
export const PROVENANCES = ['verbatim-2', 'verbatim-1', 'unverified', 'partial', 'press'] as const;
export const UNVERIFIED_PROVENANCES: ReadonlySet<string> = new Set(['unverified', 'partial', 'press']);

/** Operations of a derived fact, and which of them work on dates. */
export const DERIVED_OPERATIONS = ['ratio', 'difference', 'sum', 'product', 'days_between', 'months_between'] as const;
export const DATE_OPERATIONS: ReadonlySet<string> = new Set(['days_between', 'months_between']);
/** The operand of a date operation that stands for the finding's observation date. */
export const OBSERVED_AT = 'observed_at';

export const LEVELS = ['major', 'general', 'undetermined'] as const;
export const SITE_LEVELS = ['major', 'not_major', 'undetermined'] as const;

