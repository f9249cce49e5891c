/**
 * Limit tables: the limit for a finding's input value, looked up in rows parsed once.
 * Outside every row there is no limit (null: comparisons with it are false); a missing input
 * leaves the limit unknown (undefined).
 */
import { inRange, parseRange, type Range } from '../pack/ranges.js';
import type { Table } from '../pack/schema.js';
import type { FactMap, Reader } from './condition.js';

export interface CompiledTable {
  readonly input: string;
  readonly rows: ReadonlyArray<{ range: Range; limit: number; printed: string }>;
  /** The limit for a value of the input fact; null outside every row. */
  lookup(x: number): number | null;
  readonly reader: Reader;
  /** Every limit the table can give: each row's, and null if the rows leave a range uncovered. */
  readonly possibleLimits: readonly (number | null)[];
}

/** `readInput` reads the input fact (a recorded fact, or a derived one). */
export function compileTable(table: Table, readInput: Reader = (facts) => facts[table.input]): CompiledTable {
  // Validation guarantees every range parses and rows are ordered and adjacent.
  const rows = table.rows.map((row) => ({ range: parseRange(row.range)!, limit: row.limit, printed: row.range }));
  const lookup = (x: number): number | null => {
    for (const row of rows) if (inRange(row.range, x)) return row.limit;
    return null;
  };
  const input = table.input;
  const first = rows[0]!.range;
  const last = rows[rows.length - 1]!.range;
  const uncovered = first.lower !== undefined || last.upper !== undefined;
  const possibleLimits = [...new Set<number | null>([...rows.map((r) => r.limit), ...(uncovered ? [null] : [])])];
  return {
    possibleLimits,
    input,
    rows,
    lookup,
    reader: (facts: FactMap, date: string) => {
      const x = readInput(facts, date);
      return x === undefined ? undefined : lookup(x as number);
    },
  };
}
