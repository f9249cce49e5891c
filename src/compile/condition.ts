/**
 * Conditions → three-valued closures (Kleene logic), built once per pack.
 *
 * A compiled condition is a plain function of the finding's fact map returning FALSE, TRUE or
 * UNKNOWN. A missing fact (undefined) makes its leaf UNKNOWN; `all` is FALSE as soon as one part
 * is FALSE, `any` TRUE as soon as one part is TRUE; otherwise UNKNOWN propagates.
 * No eval, no new Function: closures over constants the compiler resolved.
 *
 * The closures answer "what"; `explain` walks the same tree to answer "why" (the facts that
 * decided it, or the missing facts that keep it open). It runs only for the few rules a verdict
 * reports, never on the hot path.
 */
import type { Condition, LeafCondition, Operator } from '../pack/schema.js';

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

/** A finding's facts by name. Missing facts are undefined; a table outside its rows gives null. */
export type FactMap = Readonly<Record<string, unknown>>;
export type Reader = (facts: FactMap) => unknown;
export type Evaluate = (facts: FactMap) => Truth;

/** How the compiler reads a fact by name: plain facts, table limits, declared defaults. */
export interface ReaderFactory {
  reader(name: string): Reader;
  /** The facts a read of `name` depends on (a table limit depends on its input). */
  inputsOf(name: string): readonly string[];
}

type Test = (a: unknown, b: unknown) => boolean;

/** json-rules-engine's operators, with the same meaning (see its engine-default-operators). */
const TESTS: Record<Operator, Test> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  lessThan: (a, b) => (a as number) < (b as number),
  lessThanInclusive: (a, b) => (a as number) <= (b as number),
  greaterThan: (a, b) => (a as number) > (b as number),
  greaterThanInclusive: (a, b) => (a as number) >= (b as number),
  in: (a, b) => (b as unknown[]).includes(a),
  notIn: (a, b) => !(b as unknown[]).includes(a),
  contains: (a, b) => (a as unknown[]).includes(b),
  doesNotContain: (a, b) => !(a as unknown[]).includes(b),
};

const isFactRef = (value: unknown): value is { fact: string } =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { fact?: unknown }).fact === 'string';

export function compileCondition(condition: Condition, readers: ReaderFactory): Evaluate {
  if ('all' in condition) return compileAll(condition.all.map((c) => compileCondition(c, readers)));
  if ('any' in condition) return compileAny(condition.any.map((c) => compileCondition(c, readers)));
  if ('not' in condition) {
    const inner = compileCondition(condition.not, readers);
    return (facts) => {
      const r = inner(facts);
      return r === UNKNOWN ? UNKNOWN : r === TRUE ? FALSE : TRUE;
    };
  }
  return compileLeaf(condition, readers);
}

function compileLeaf(leaf: LeafCondition, readers: ReaderFactory): Evaluate {
  const read = readers.reader(leaf.fact);
  const test = TESTS[leaf.operator];
  const value = leaf.value;
  if (isFactRef(value)) {
    const readOther = readers.reader(value.fact);
    return (facts) => {
      const a = read(facts);
      const b = readOther(facts);
      if (a === undefined || b === undefined) return UNKNOWN;
      if (a === null || b === null) return FALSE;
      return test(a, b) ? TRUE : FALSE;
    };
  }
  // Lists are looked up in a Set: `in` over a long list stays O(1).
  if (leaf.operator === 'in' || leaf.operator === 'notIn') {
    const members = new Set(value as unknown[]);
    const wanted = leaf.operator === 'in';
    return (facts) => {
      const a = read(facts);
      if (a === undefined) return UNKNOWN;
      return members.has(a) === wanted ? TRUE : FALSE;
    };
  }
  return (facts) => {
    const a = read(facts);
    if (a === undefined) return UNKNOWN;
    if (a === null) return FALSE;
    return test(a, value) ? TRUE : FALSE;
  };
}

function compileAll(parts: Evaluate[]): Evaluate {
  if (parts.length === 1) return parts[0]!;
  return (facts) => {
    let result: Truth = TRUE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i]!(facts);
      if (r === FALSE) return FALSE;
      if (r === UNKNOWN) result = UNKNOWN;
    }
    return result;
  };
}

function compileAny(parts: Evaluate[]): Evaluate {
  if (parts.length === 1) return parts[0]!;
  return (facts) => {
    let result: Truth = FALSE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i]!(facts);
      if (r === TRUE) return TRUE;
      if (r === UNKNOWN) result = UNKNOWN;
    }
    return result;
  };
}

export interface Explanation {
  value: Truth;
  /** Facts whose values decided the result (for TRUE and FALSE). */
  decisive: Set<string>;
  /** Missing facts that keep the result open (for UNKNOWN). */
  missing: Set<string>;
}

/** Why a condition has its value: which facts decided it, or which missing facts matter. */
export function explain(condition: Condition, facts: FactMap, readers: ReaderFactory): Explanation {
  if ('all' in condition || 'any' in condition) {
    const isAll = 'all' in condition;
    const parts = (isAll ? (condition as { all: Condition[] }).all : (condition as { any: Condition[] }).any).map((c) =>
      explain(c, facts, readers),
    );
    // all: FALSE wins; any: TRUE wins.
    const winner = isAll ? FALSE : TRUE;
    const decided = parts.filter((p) => p.value === winner);
    if (decided.length > 0) return { value: winner, decisive: union(decided.map((p) => p.decisive)), missing: new Set() };
    const open = parts.filter((p) => p.value === UNKNOWN);
    if (open.length > 0) return { value: UNKNOWN, decisive: new Set(), missing: union(open.map((p) => p.missing)) };
    return { value: isAll ? TRUE : FALSE, decisive: union(parts.map((p) => p.decisive)), missing: new Set() };
  }
  if ('not' in condition) {
    const inner = explain(condition.not, facts, readers);
    const value: Truth = inner.value === UNKNOWN ? UNKNOWN : inner.value === TRUE ? FALSE : TRUE;
    return { ...inner, value };
  }
  const value = compileLeaf(condition, readers)(facts);
  const names = [condition.fact, ...(isFactRef(condition.value) ? [condition.value.fact] : [])].flatMap((n) => [
    ...readers.inputsOf(n),
  ]);
  if (value === UNKNOWN) return { value, decisive: new Set(), missing: new Set(names.filter((n) => facts[n] === undefined)) };
  return { value, decisive: new Set(names), missing: new Set() };
}

function union(sets: Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const x of s) out.add(x);
  return out;
}

/** Every fact name a condition reads, in order of first appearance. */
export function factsRead(condition: Condition): string[] {
  const out = new Set<string>();
  const stack: Condition[] = [condition];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('all' in node) stack.push(...[...node.all].reverse());
    else if ('any' in node) stack.push(...[...node.any].reverse());
    else if ('not' in node) stack.push(node.not);
    else {
      out.add(node.fact);
      if (isFactRef(node.value)) out.add(node.value.fact);
    }
  }
  return [...out];
}
