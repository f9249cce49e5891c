/**
 * Shared pieces of the property suites (test/properties/): run parameters, findings spread over
 * an edition's dates, deep freezing, and the finite grid of candidate values used to search for
 * completions of missing facts.
 */
import fc from 'fast-check';
import type { CompiledPack } from '../../src/compile/compile-pack.js';
import { factsRead, type Truth } from '../../src/compile/condition.js';
import { factSchema } from '../../src/compile/facts.js';
import { DIAGNOSTIC_CODES, hasErrors } from '../../src/pack/diagnostics.js';
import type { Condition } from '../../src/pack/schema.js';
import type { PackValidation } from '../../src/pipeline.js';
import { factsArbitrary, findingArbitrary, reachingFactsArbitrary, thresholds, type FactValues } from '../../src/testing/arbitraries.js';

/**
 * fast-check parameters. `FC_RUNS_SCALE` multiplies every numRuns (e.g. 10 for a long soak);
 * `FC_SEED` and `FC_PATH` replay a reported failure without editing the file (narrow the run to
 * the failing test with `-t`, since a path only fits the property it came from).
 */
export function params<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const scale = Number(process.env.FC_RUNS_SCALE ?? '1');
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
  const path = process.env.FC_PATH;
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...extra,
    ...(seed !== undefined ? { seed } : {}),
    ...(path ? { path, endOnFailure: true } : {}),
  };
}

/** Replaying one counterexample (FC_PATH): the checks that a run was not vacuous do not apply. */
export const REPLAYING = process.env.FC_PATH !== undefined;

/** Object.freeze, recursively (own string and symbol keys; cycles are fine). */
export function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  Object.freeze(value);
  return value;
}

const dayBefore = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Days inside the edition worth judging on: its first and last day, and each day on which a
 * dated rule or a declared gap starts or ends (and the day before), so dated rules are both in
 * and out of force.
 */
export function datesOf(pack: CompiledPack): string[] {
  const from = pack.effectiveFrom;
  const to = pack.effectiveTo;
  const inside = (d: string) => d >= from && (to === undefined || d < to);
  const points = [
    from,
    ...(to ? [to] : []),
    ...pack.rules.flatMap((r) => [r.effectiveFrom, r.effectiveTo]),
    ...pack.gaps.flatMap((g) => [g.from, g.to]),
  ].filter((d): d is string => d !== undefined);
  const out = new Set<string>();
  for (const p of points) {
    if (inside(p)) out.add(p);
    if (inside(dayBefore(p))) out.add(dayBefore(p));
  }
  return [...out].sort();
}

export interface PackFinding {
  id?: string;
  standard: string;
  pack: string;
  observed_at: string;
  facts: FactValues;
  context?: FactValues;
}

/**
 * Partial fact records: half the time a sparse one (1–6 facts, as an inspector records them),
 * half the time each declared fact present or not.
 */
export function partialFactsArbitrary(pack: CompiledPack): fc.Arbitrary<FactValues> {
  const names = Object.keys(pack.source.facts);
  const sparse = fc
    .subarray(names, { minLength: 1, maxLength: Math.min(6, names.length) })
    .chain((chosen) => factsArbitrary(pack, { facts: chosen, complete: true }));
  return reachingFactsArbitrary(pack, fc.oneof(sparse, factsArbitrary(pack)));
}

/**
 * Findings pinned to the pack, on one of its significant dates; with `split`, the context facts
 * go (randomly) into the finding's `context` layer instead of `facts`.
 */
export function packFindingArbitrary(
  pack: CompiledPack,
  options: { complete?: boolean; split?: boolean } = {},
): fc.Arbitrary<PackFinding> {
  const facts = options.complete ? factsArbitrary(pack, { complete: true }) : partialFactsArbitrary(pack);
  return fc.record({ facts, date: fc.constantFrom(...datesOf(pack)), split: options.split ? fc.boolean() : fc.constant(false) }).map(({ facts, date, split }) => {
    const finding: PackFinding = { standard: pack.standard, pack: pack.id, observed_at: date, facts };
    if (!split) return finding;
    const context: FactValues = {};
    const own: FactValues = {};
    for (const [name, value] of Object.entries(facts)) (pack.source.facts[name]!.kind === 'context' ? context : own)[name] = value;
    return { ...finding, facts: own, context };
  });
}

/** The facts a rule's condition reads, table limits replaced by their input facts. */
export function factsReadByRule(pack: CompiledPack, condition: Condition): Set<string> {
  return new Set(factsRead(condition).flatMap((n) => [...pack.readers.inputsOf(n)]));
}

/** Every leaf of a condition. */
export function leavesOf(condition: Condition): Array<Extract<Condition, { fact: string }>> {
  const out: Array<Extract<Condition, { fact: string }>> = [];
  const stack: Condition[] = [condition];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if ('all' in c) stack.push(...c.all);
    else if ('any' in c) stack.push(...c.any);
    else if ('not' in c) stack.push(c.not);
    else out.push(c);
  }
  return out;
}

const GENERIC_NUMBERS = [0, 1, 50, 100, 10_000];

/**
 * A finite grid of candidate values per fact: each threshold t the pack compares the fact with
 * (t, t ± 0.01, t ± 1; integers: floor/ceil ± 1), table bounds and limits, enum values, both
 * booleans, subsets of set facts (empty, each singleton, all, all but one), and a few generic
 * numbers (0, 1, 50, 100, 10000) for facts compared with other facts. Only values the pack's
 * finding schema accepts are kept; thresholds come first.
 */
export function candidateGrid(pack: CompiledPack): Map<string, unknown[]> {
  const near = thresholds(pack);
  // Facts compared with a table limit: the table's limits are their thresholds too.
  const tableLimits = new Map<string, number[]>();
  for (const rule of pack.rules) {
    for (const leaf of leavesOf(rule.condition)) {
      const other = typeof leaf.value === 'object' && leaf.value !== null && !Array.isArray(leaf.value) ? leaf.value.fact : undefined;
      const pairs: Array<[string, string | undefined]> = [
        [leaf.fact, other],
        ...(other ? ([[other, leaf.fact]] as Array<[string, string]>) : []),
      ];
      for (const [fact, maybeTable] of pairs) {
        const table = maybeTable ? pack.tables.get(maybeTable) : undefined;
        if (!table) continue;
        const list = tableLimits.get(fact) ?? [];
        for (const row of table.rows) list.push(row.limit);
        tableLimits.set(fact, list);
      }
    }
  }
  const grid = new Map<string, unknown[]>();
  for (const [name, fact] of Object.entries(pack.source.facts)) {
    const schema = factSchema(fact);
    const numbers = [...(near.get(name) ?? []), ...(tableLimits.get(name) ?? [])].filter((v): v is number => typeof v === 'number');
    let values: unknown[];
    switch (fact.type) {
      case 'boolean':
        values = [true, false];
        break;
      case 'integer':
        values = [...numbers.flatMap((t) => [Math.floor(t), Math.ceil(t), Math.floor(t) - 1, Math.ceil(t) + 1]), ...GENERIC_NUMBERS];
        break;
      case 'number':
        values = [...numbers.flatMap((t) => [t, t - 0.01, t + 0.01, t - 1, t + 1]), ...GENERIC_NUMBERS];
        break;
      case 'enum':
        values = [...(fact.values ?? [])];
        break;
      case 'set': {
        const all = [...(fact.values ?? [])];
        values = [[], ...all.map((v) => [v]), all, ...all.map((v) => all.filter((x) => x !== v))];
        break;
      }
      case 'string':
        values = [...(near.get(name) ?? []).filter((v) => typeof v === 'string'), '', 'x'];
        break;
      case 'date':
        values = [...(near.get(name) ?? []).filter((v) => typeof v === 'string'), '2000-01-01', '2030-12-31'];
        break;
    }
    const seen = new Set<string>();
    grid.set(
      name,
      values.filter((v) => {
        const key = JSON.stringify(v);
        if (seen.has(key) || !schema.safeParse(v).success) return false;
        seen.add(key);
        return true;
      }),
    );
  }
  return grid;
}

/**
 * Candidate values of one fact for completing a partial finding: where the pack compares it
 * with another fact the finding gives (value v), v and v ± 0.01, v ± 1 first; then the grid.
 */
export function candidatesFor(pack: CompiledPack, grid: ReadonlyMap<string, readonly unknown[]>, given: FactValues, name: string, date = pack.effectiveFrom): unknown[] {
  const fact = pack.source.facts[name]!;
  const schema = factSchema(fact);
  const relative: unknown[] = derivedCandidates(pack, given, date, name);
  for (const other of comparedWith(pack).get(name) ?? []) {
    const v = given[other];
    if (typeof v === 'number') relative.push(v, v - 0.01, v + 0.01, v - 1, v + 1, Math.floor(v), Math.ceil(v), Math.floor(v) - 1, Math.ceil(v) + 1);
  }
  const seen = new Set<string>();
  return [...relative, ...grid.get(name)!].filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key) || !schema.safeParse(v).success) return false;
    seen.add(key);
    return true;
  });
}

const DAY = 86_400_000;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
function addMonths(d: string, n: number): string {
  const [y, m, day] = [+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)];
  const last = new Date(Date.UTC(y, m + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m + n, Math.min(day, last))).toISOString().slice(0, 10);
}

/**
 * Values of `name` that put a derived fact reading it exactly on one of its thresholds (a
 * literal it is compared with, or the value of a fact it is compared with), given the other
 * facts and the day judged on — and one step either side. Solved backwards through nested
 * derived facts. Without these a grid of thresholds would rarely hit 「超过…10%」 of a capacity.
 */
function derivedCandidates(pack: CompiledPack, given: FactValues, date: string, name: string): unknown[] {
  if (pack.derived.size === 0) return [];
  const near = thresholds(pack);
  const out: unknown[] = [];
  const valueOf = (operand: string | number): unknown =>
    typeof operand === 'number' ? operand : operand === 'observed_at' ? date : pack.readers.reader(operand)(given, date);
  const solve = (derived: string, target: number, depth: number): void => {
    const d = pack.derived.get(derived);
    if (!d || depth > 8 || !Number.isFinite(target)) return;
    d.operands.forEach((operand, i) => {
      if (typeof operand === 'number') return;
      const others = d.operands.filter((_, j) => j !== i).map(valueOf);
      if (others.some((v) => v === undefined || v === null)) return;
      const [other] = others as [number | string];
      let want: number | string | undefined;
      switch (d.operation) {
        case 'ratio': want = i === 0 ? target * (other as number) : (other as number) / target; break;
        case 'difference': want = i === 0 ? target + (other as number) : (other as number) - target; break;
        case 'sum': want = target - (others as number[]).reduce((a, b) => a + b, 0); break;
        case 'product': want = target / (other as number); break;
        case 'days_between': want = i === 0 ? addDays(other as string, -target) : addDays(other as string, target); break;
        case 'months_between': want = i === 0 ? addMonths(other as string, -target) : addMonths(other as string, target); break;
      }
      if (want === undefined) return;
      if (operand === name) {
        if (typeof want === 'string') out.push(want, addDays(want, -1), addDays(want, 1));
        else if (Number.isFinite(want)) out.push(want, want - 0.01, want + 0.01, Math.floor(want), Math.ceil(want), Math.floor(want) - 1, Math.ceil(want) + 1);
      } else if (typeof want === 'number') solve(operand, want, depth + 1);
    });
  };
  for (const derived of pack.derived.keys()) {
    const targets = [
      ...(near.get(derived) ?? []),
      ...[...(comparedWithAny(pack).get(derived) ?? [])].map((other) => pack.readers.reader(other)(given, date)),
    ].filter((t): t is number => typeof t === 'number');
    for (const t of targets) solve(derived, t, 0);
  }
  return out;
}

const anyComparisons = new WeakMap<CompiledPack, Map<string, Set<string>>>();
/** For each name (fact, table or derived fact), the names a condition compares it with. */
function comparedWithAny(pack: CompiledPack): Map<string, Set<string>> {
  let map = anyComparisons.get(pack);
  if (map) return map;
  map = new Map();
  for (const leaf of pack.rules.map((r) => r.condition).flatMap(leavesOf)) {
    const other = typeof leaf.value === 'object' && leaf.value !== null && !Array.isArray(leaf.value) ? leaf.value.fact : undefined;
    if (!other) continue;
    for (const [a, b] of [[leaf.fact, other], [other, leaf.fact]] as const) {
      if (!map.has(a)) map.set(a, new Set());
      map.get(a)!.add(b);
    }
  }
  anyComparisons.set(pack, map);
  return map;
}

const comparisons = new WeakMap<CompiledPack, Map<string, Set<string>>>();
/** For each fact, the plain facts a condition compares it with (`{ fact, value: { fact } }`). */
function comparedWith(pack: CompiledPack): Map<string, Set<string>> {
  let map = comparisons.get(pack);
  if (map) return map;
  map = new Map();
  const conditions: Condition[] = [...pack.rules.map((r) => r.condition), ...(pack.source.gaps ?? []).flatMap((g) => (g.scope ? [g.scope] : []))];
  for (const leaf of conditions.flatMap(leavesOf)) {
    const other = typeof leaf.value === 'object' && leaf.value !== null && !Array.isArray(leaf.value) ? leaf.value.fact : undefined;
    if (!other || !pack.source.facts[other] || !pack.source.facts[leaf.fact]) continue;
    for (const [a, b] of [[leaf.fact, other], [other, leaf.fact]] as const) {
      if (!map.has(a)) map.set(a, new Set());
      map.get(a)!.add(b);
    }
  }
  comparisons.set(pack, map);
  return map;
}

export interface CompletionSearch {
  /** The completion found (only the searched facts), if any. */
  found?: FactValues;
  /** Whether the whole space was searched (false: the budget ran out first). */
  exhausted: boolean;
  evaluations: number;
  /** A full completion of the searched facts that left the value UNKNOWN, if one was met. */
  undecided?: FactValues;
}

/**
 * Searches completions of `names` (each over its candidate list) for one that evaluates to
 * `want`: depth first, fact by fact, pruning a branch as soon as the three-valued value is
 * decided against `want` (Kleene monotonicity: nothing below can change it). Every answer is a
 * full completion of `names`, evaluated as such. Bounded by `budget` evaluations.
 */
export function searchCompletion(
  base: FactValues,
  names: readonly string[],
  candidates: (name: string) => readonly unknown[],
  evaluate: (facts: FactValues) => Truth,
  want: Truth,
  budget = 50_000,
): CompletionSearch {
  const lists = names.map(candidates);
  const assign: FactValues = {};
  let evaluations = 0;
  let undecided: FactValues | undefined;
  let outOfBudget = false;
  const dfs = (i: number): FactValues | undefined => {
    if (evaluations >= budget) {
      outOfBudget = true;
      return undefined;
    }
    const value = evaluate({ ...base, ...assign });
    evaluations++;
    if (i === names.length) {
      if (value === 2) undecided ??= { ...assign };
      return value === want ? { ...assign } : undefined;
    }
    if (value !== 2 && value !== want) return undefined;
    for (const candidate of lists[i]!) {
      assign[names[i]!] = candidate;
      const found = dfs(i + 1);
      if (found || outOfBudget) return found;
    }
    delete assign[names[i]!];
    return undefined;
  };
  const found = dfs(0);
  return { ...(found ? { found } : {}), exhausted: !outOfBudget, evaluations, ...(undecided ? { undecided } : {}) };
}

/** Fisher–Yates with fast-check's randomness (for a reproducible permutation). */
export function permutationArbitrary<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  if (items.length <= 1) return fc.constant([...items]);
  return fc.tuple(...items.map((_, i) => fc.nat({ max: items.length - 1 - i }))).map((picks) => {
    const pool = [...items];
    return picks.map((p) => pool.splice(p, 1)[0]!);
  });
}

/**
 * Complete findings in which facts compared with each other are often tied or one step apart
 * (a = b, a = b ± 1, a = b ± 0.01 where the type allows): the boundary of `a > b` that drawing
 * each fact on its own almost never hits.
 */
/** Complete findings with compared facts often tied: `findingArbitrary` does the tying itself now. */
export function tiedFindingArbitrary(pack: CompiledPack, observedAt = pack.effectiveFrom): fc.Arbitrary<PackFinding> {
  return findingArbitrary(pack, { complete: true, observedAt }) as fc.Arbitrary<PackFinding>;
}

/** The shape every diagnostic has, whatever the input; and a pack comes back only without errors. */
export function checkValidation(result: PackValidation): void {
  if (!Array.isArray(result.diagnostics)) throw new Error(`diagnostics is not an array: ${String(result.diagnostics)}`);
  for (const d of result.diagnostics) {
    const ok =
      DIAGNOSTIC_CODES.includes(d.code) &&
      (d.severity === 'error' || d.severity === 'warning') &&
      Number.isInteger(d.line) &&
      d.line >= 1 &&
      Number.isInteger(d.col) &&
      d.col >= 1 &&
      typeof d.path === 'string' &&
      typeof d.message?.zh === 'string' &&
      d.message.zh.length > 0 &&
      typeof d.message?.en === 'string' &&
      d.message.en.length > 0;
    if (!ok) throw new Error(`malformed diagnostic: ${JSON.stringify(d)}`);
  }
  if (result.pack !== undefined && hasErrors(result.diagnostics)) throw new Error('a pack came back with errors');
}

/** Object.prototype as it is now, to check later that nothing was added, removed or replaced. */
export function prototypeSnapshot(): () => void {
  const protos = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  const before = protos.map((p) => new Map(Reflect.ownKeys(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)!])));
  return () => {
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin', 'x']) {
      if (probe[key] !== undefined) throw new Error(`({}).${key} is ${String(probe[key])}: Object.prototype polluted`);
    }
    protos.forEach((p, i) => {
      const keys = Reflect.ownKeys(p);
      const was = before[i]!;
      if (keys.length !== was.size || keys.some((k) => !was.has(k))) throw new Error(`prototype keys changed: ${keys.filter((k) => !was.has(k)).map(String).join(', ')}`);
      for (const k of keys) {
        const d = Object.getOwnPropertyDescriptor(p, k)!;
        const w = was.get(k)!;
        if (d.value !== w.value || d.get !== w.get || d.set !== w.set) throw new Error(`prototype member ${String(k)} replaced`);
      }
    });
  };
}
