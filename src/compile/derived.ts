/**
 * Derived facts: numbers computed from recorded facts, declared in the pack (`derived:`), so that
 * a clause comparing two recorded figures — 「超过核定生产能力10%以上」, 「超过规定期限」 — is
 * judged by the pack and not computed by hand. Each is compiled once into a reader; a missing
 * input makes it missing, and explanations name the recorded inputs (`inputs`), never the
 * derived name.
 *
 * Conventions (docs/rule-authoring.md states them for authors):
 * - ratio a ÷ b, difference a − b, sum, product a × k; results rounded to 12 significant digits so
 *   that decimal thresholds compare as printed (100 × 1.1 is 110, not 110.00000000000001). A ratio
 *   over zero follows IEEE arithmetic: a positive number over 0 is +Infinity (exceeds every limit),
 *   0 ÷ 0 has no value (null: every comparison with it is false).
 * - days_between [from, to]: calendar days from `from` to `to`, positive when `to` is later.
 * - months_between [from, to]: whole calendar months from `from` to `to`. A month is complete on
 *   the same day of a later month, or on the last day of a shorter month (2026-01-31 → 2026-02-28
 *   is one month); negative when `to` is earlier.
 * `observed_at` as a date operand is the day the finding is judged on.
 */
import { DATE_OPERATIONS, DERIVED_OPERATIONS, OBSERVED_AT } from '../pack/format.js';
import type { Derived } from '../pack/schema.js';
import type { FactMap, Reader } from './condition.js';

export type DerivedOperation = (typeof DERIVED_OPERATIONS)[number];

export interface CompiledDerived {
  readonly name: string;
  readonly operation: DerivedOperation;
  /** The operands as declared (names or numbers). */
  readonly operands: readonly (string | number)[];
  /** The recorded facts it depends on, through other derived facts and tables. */
  readonly inputs: readonly string[];
  readonly reader: Reader;
}

/** The operation a derived entry declares (validation guarantees exactly one). */
export function operationOf(entry: Derived): DerivedOperation | undefined {
  return DERIVED_OPERATIONS.find((op) => entry[op] !== undefined);
}

/** How a compiled derived fact reads the names it is computed from. */
export interface OperandReaders {
  reader(name: string): Reader;
  inputsOf(name: string): readonly string[];
}

export function compileDerived(name: string, entry: Derived, readers: OperandReaders): CompiledDerived {
  const operation = operationOf(entry)!;
  const operands = entry[operation] as (string | number)[];
  const inputs = [...new Set(operands.flatMap((o) => (typeof o === 'number' || o === OBSERVED_AT ? [] : readers.inputsOf(o))))];
  const reader = DATE_OPERATIONS.has(operation)
    ? dateReader(operation, operands as string[], readers)
    : numberReader(operation, operands, readers);
  return { name, operation, operands, inputs, reader };
}

type Value = number | null | undefined;

function operandReader(operand: string | number, readers: OperandReaders): (facts: FactMap, date: string) => Value {
  if (typeof operand === 'number') return () => operand;
  const read = readers.reader(operand);
  return (facts, date) => read(facts, date) as Value;
}

function numberReader(operation: DerivedOperation, operands: readonly (string | number)[], readers: OperandReaders): Reader {
  const reads = operands.map((o) => operandReader(o, readers));
  const combine = COMBINE[operation as 'ratio' | 'difference' | 'sum' | 'product'];
  return (facts, date) => {
    let acc: number | undefined;
    let noValue = false;
    for (let i = 0; i < reads.length; i++) {
      const x = reads[i]!(facts, date);
      if (x === undefined) return undefined; // a missing input: the derived fact is missing
      if (x === null) noValue = true; // e.g. a table outside its rows: no value, but keep looking for a missing input
      else acc = acc === undefined ? x : combine(acc, x);
    }
    if (noValue) return null;
    return round(acc!);
  };
}

const COMBINE: Record<'ratio' | 'difference' | 'sum' | 'product', (a: number, b: number) => number> = {
  ratio: (a, b) => a / b,
  difference: (a, b) => a - b,
  sum: (a, b) => a + b,
  product: (a, b) => a * b,
};

/** 12 significant digits: decimal thresholds compare as printed; NaN (0 ÷ 0) has no value. */
function round(x: number): number | null {
  if (Number.isNaN(x)) return null;
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(12));
}

function dateReader(operation: DerivedOperation, operands: readonly string[], readers: OperandReaders): Reader {
  const read = operands.map((o) => (o === OBSERVED_AT ? (_facts: FactMap, date: string) => date : readers.reader(o)));
  const [readFrom, readTo] = read as [Reader, Reader];
  const between = operation === 'days_between' ? daysBetween : monthsBetween;
  return (facts, date) => {
    const from = readFrom(facts, date);
    const to = readTo(facts, date);
    if (from === undefined || to === undefined) return undefined;
    return between(from as string, to as string);
  };
}

/** Day number of a calendar date YYYY-MM-DD (validated before any rule runs). */
const dayNumber = (d: string): number => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86_400_000;

export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

const lastDayOfMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function monthsBetween(from: string, to: string): number {
  if (to < from) return -monthsBetween(to, from);
  const [y1, m1, d1] = [+from.slice(0, 4), +from.slice(5, 7), +from.slice(8, 10)];
  const [y2, m2, d2] = [+to.slice(0, 4), +to.slice(5, 7), +to.slice(8, 10)];
  let months = (y2 - y1) * 12 + (m2 - m1);
  // The last month counts once its day is reached, or the target month has ended.
  if (d2 < d1 && d2 !== lastDayOfMonth(y2, m2)) months -= 1;
  return months;
}
