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
/**
 * Readers and conditions take the day the finding is judged on beside its facts: derived facts
 * count days and months up to it (`observed_at`).
 */
export type Reader = (facts: FactMap, date: string) => unknown;
export type Evaluate = (facts: FactMap, date: string) => Truth;

/** How the compiler reads a fact by name: plain facts, table limits, declared defaults. */
export interface ReaderFactory {
  reader(name: string): Reader;
  /** The facts a read of `name` depends on (a table limit depends on its input). */
  inputsOf(name: string): readonly string[];
  /**
   * For a table limit: every value it can take (each row's limit, and null where the rows leave
   * a range uncovered). When the input is missing but all of them give the same answer, the
   * answer does not depend on it.
   */
  possibleValues?(name: string): readonly (number | null)[] | undefined;
  /**
   * For a number fact with declared bounds: its lowest and highest possible values. An ordering
   * comparison that gives the same answer at both ends gives it for every value between, so a
   * missing bounded fact that cannot change the answer does not leave it open (0 never exceeds a
   * design value that is at least 0).
   */
  bounds?(name: string): readonly [number, number] | undefined;
}

const ORDERING: ReadonlySet<Operator> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

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
    return (facts, date) => {
      const r = inner(facts, date);
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
    const ordering = ORDERING.has(leaf.operator);
    const aCandidates = readers.possibleValues?.(leaf.fact) ?? (ordering ? readers.bounds?.(leaf.fact) : undefined);
    const bCandidates = readers.possibleValues?.(value.fact) ?? (ordering ? readers.bounds?.(value.fact) : undefined);
    const compare = (a: unknown, b: unknown): Truth => {
      // No limit (a table outside its rows) makes the comparison false whatever the other side.
      if (a === null || b === null) return FALSE;
      if (a === undefined || b === undefined) return UNKNOWN;
      return test(a, b) ? TRUE : FALSE;
    };
    return (facts, date) => {
      const a = read(facts, date);
      const b = readOther(facts, date);
      const r = compare(a, b);
      if (r !== UNKNOWN) return r;
      // A table limit whose input is missing: decided anyway if every possible limit agrees.
      if (a === undefined && aCandidates && b !== undefined) return unanimous(aCandidates, (x) => compare(x, b));
      if (b === undefined && bCandidates && a !== undefined) return unanimous(bCandidates, (x) => compare(a, x));
      return UNKNOWN;
    };
  }
  // Lists are looked up in a Set: `in` over a long list stays O(1).
  if (leaf.operator === 'in' || leaf.operator === 'notIn') {
    const members = new Set(value as unknown[]);
    const wanted = leaf.operator === 'in';
    return (facts, date) => {
      const a = read(facts, date);
      if (a === undefined) return UNKNOWN;
      return members.has(a) === wanted ? TRUE : FALSE;
    };
  }
  const candidates = readers.possibleValues?.(leaf.fact) ?? (ORDERING.has(leaf.operator) ? readers.bounds?.(leaf.fact) : undefined);
  const compare = (a: unknown): Truth => (a === null ? FALSE : test(a, value) ? TRUE : FALSE);
  return (facts, date) => {
    const a = read(facts, date);
    if (a !== undefined) return compare(a);
    return candidates ? unanimous(candidates, compare) : UNKNOWN;
  };
}

/** The common answer of `judge` over all candidates, or UNKNOWN if they disagree. */
function unanimous(candidates: readonly (number | null)[], judge: (x: number | null) => Truth): Truth {
  let answer: Truth | undefined;
  for (const x of candidates) {
    const r = judge(x);
    if (answer === undefined) answer = r;
    else if (r !== answer) return UNKNOWN;
  }
  return answer ?? UNKNOWN;
}

function compileAll(parts: Evaluate[]): Evaluate {
  if (parts.length === 1) return parts[0]!;
  return (facts, date) => {
    let result: Truth = TRUE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i]!(facts, date);
      if (r === FALSE) return FALSE;
      if (r === UNKNOWN) result = UNKNOWN;
    }
    return result;
  };
}

function compileAny(parts: Evaluate[]): Evaluate {
  if (parts.length === 1) return parts[0]!;
  return (facts, date) => {
    let result: Truth = FALSE;
    for (let i = 0; i < parts.length; i++) {
      const r = parts[i]!(facts, date);
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
export function explain(condition: Condition, facts: FactMap, date: string, readers: ReaderFactory): Explanation {
  const decisive: string[] = [];
  const missing: string[] = [];
  const value = explainer(condition, readers)(facts, date, decisive, missing);
  return { value, decisive: new Set(decisive), missing: new Set(missing) };
}

/**
 * Explains into two lists: the facts that decided the value (TRUE or FALSE), or the missing facts
 * that keep it open (UNKNOWN). Only the parts that carry the outcome are explained: for a FALSE
 * `all`, its FALSE parts; for an UNKNOWN one, its UNKNOWN parts; for a TRUE one, every part.
 */
type Explainer = (facts: FactMap, date: string, decisive: string[], missing: string[]) => Truth;

/** Explainers compiled once per reader set and condition, so that explaining compiles nothing. */
const explainers = new WeakMap<ReaderFactory, WeakMap<Condition, Explainer>>();

function explainer(condition: Condition, readers: ReaderFactory): Explainer {
  let byCondition = explainers.get(readers);
  if (!byCondition) explainers.set(readers, (byCondition = new WeakMap()));
  let explainIt = byCondition.get(condition);
  if (!explainIt) byCondition.set(condition, (explainIt = compileExplainer(condition, readers)));
  return explainIt;
}

function compileExplainer(condition: Condition, readers: ReaderFactory): Explainer {
  if ('all' in condition || 'any' in condition) {
    const isAll = 'all' in condition;
    const children = isAll ? (condition as { all: Condition[] }).all : (condition as { any: Condition[] }).any;
    const parts = children.map((c) => ({ evaluate: compileCondition(c, readers), explain: compileExplainer(c, readers) }));
    const whole = isAll ? compileAll(parts.map((p) => p.evaluate)) : compileAny(parts.map((p) => p.evaluate));
    const winner = isAll ? FALSE : TRUE;
    return (facts, date, decisive, missing) => {
      const value = whole(facts, date);
      // The parts that carry the outcome: the winners, the open ones, or all of them.
      const wanted: Truth | undefined = value === winner ? winner : value === UNKNOWN ? UNKNOWN : undefined;
      for (const part of parts) {
        if (wanted === undefined || part.evaluate(facts, date) === wanted) part.explain(facts, date, decisive, missing);
      }
      return value;
    };
  }
  if ('not' in condition) {
    const inner = compileExplainer(condition.not, readers);
    return (facts, date, decisive, missing) => {
      const r = inner(facts, date, decisive, missing);
      return r === UNKNOWN ? UNKNOWN : r === TRUE ? FALSE : TRUE;
    };
  }
  const evaluate = compileLeaf(condition, readers);
  const names = [condition.fact, ...(isFactRef(condition.value) ? [condition.value.fact] : [])].flatMap((n) => [...readers.inputsOf(n)]);
  const reads = names.map((n) => readers.reader(n));
  return (facts, date, decisive, missing) => {
    const value = evaluate(facts, date);
    // Missing facts keep an UNKNOWN open; only facts actually read (given, or by a declared
    // default) decide a TRUE or FALSE — a table input that did not matter is neither.
    for (let i = 0; i < names.length; i++) {
      const known = reads[i]!(facts, date) !== undefined;
      if (value === UNKNOWN && !known) missing.push(names[i]!);
      else if (value !== UNKNOWN && known) decisive.push(names[i]!);
    }
    return value;
  };
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
