/**
 * What each fact type admits: which operators fit it and which values it takes. The format's
 * typing rules, used by the validator (conditions, defaults) and by the finding schema.
 */
import { OPERATORS } from './format.js';
import type { Fact, FactType, Operator } from './schema.js';

/** Numbers compare every way but by membership of a set. */
const COMPARISON: readonly Operator[] = OPERATORS.filter((op) => op !== 'contains' && op !== 'doesNotContain');

export const OPERATORS_BY_TYPE: Record<FactType, readonly Operator[]> = {
  boolean: ['equal', 'notEqual'],
  number: COMPARISON,
  integer: COMPARISON,
  enum: ['equal', 'notEqual', 'in', 'notIn'],
  string: ['equal', 'notEqual', 'in', 'notIn'],
  date: ['equal', 'notEqual'],
  set: ['contains', 'doesNotContain'],
};

/** Operators whose value is a list of candidates rather than one value. */
export const LIST_OPERATORS: ReadonlySet<Operator> = new Set(['in', 'notIn']);

const NUMERIC = new Set<FactType>(['number', 'integer']);
export const isNumeric = (type: FactType): boolean => NUMERIC.has(type);

/** Whether `value` is one value of the fact (one member, for a set fact). */
export function isMemberValue(fact: Pick<Fact, 'type' | 'values'>, value: unknown): boolean {
  switch (fact.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'enum':
    case 'set':
      return typeof value === 'string' && (fact.values ?? []).includes(value);
    case 'string':
      return typeof value === 'string';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value);
  }
}

/** Describes the expected value of a fact, for messages. */
export function describeType(fact: Pick<Fact, 'type' | 'values'>): string {
  switch (fact.type) {
    case 'enum':
      return `one of ${(fact.values ?? []).join(', ')}`;
    case 'set':
      return `a list of ${(fact.values ?? []).join(', ')}`;
    case 'date':
      return 'a date YYYY-MM-DD';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
  }
}

/** A real calendar day in YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
