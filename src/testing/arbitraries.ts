/**
 * fast-check arbitraries generated from a pack's fact vocabulary, for property-based suites —
 * ours and our users'. Import from `hazard-rules/testing` (fast-check is a peer dependency).
 *
 * Numbers are drawn near the thresholds the pack's conditions and tables actually use (exactly
 * at, just above, just below), because that is where encodings go wrong.
 */
import fc from 'fast-check';
import type { CompiledPack } from '../compile/compile-pack.js';
import { compilePack } from '../compile/compile-pack.js';
import type { Condition, Fact, Pack } from '../pack/schema.js';
import { isMemberValue } from '../pack/types.js';

export type FactValues = Record<string, unknown>;

export interface GeneratedFinding {
  standard: string;
  pack: string;
  observed_at: string;
  facts: FactValues;
}

export interface FindingOptions {
  /** Every fact present (complete) or each fact present or not (partial, the default). */
  complete?: boolean;
  /** Only these facts (default: all the pack declares). */
  facts?: readonly string[];
  /** The date findings carry (default: the pack's effective_from). */
  observedAt?: string;
}

const compiledOf = (pack: Pack | CompiledPack): CompiledPack => ('rulesByFact' in pack ? pack : compilePack(pack));

/** Every literal a condition compares a fact with, and every table bound on a table's input. */
export function thresholds(pack: Pack | CompiledPack): Map<string, unknown[]> {
  const compiled = compiledOf(pack);
  const found = new Map<string, unknown[]>();
  const note = (fact: string, value: unknown) => {
    let list = found.get(fact);
    if (!list) found.set(fact, (list = []));
    if (!list.includes(value)) list.push(value);
  };
  const conditions: Condition[] = [];
  for (const rule of compiled.rules) conditions.push(rule.condition);
  for (const gap of compiled.source.gaps ?? []) if (gap.scope) conditions.push(gap.scope);
  const d = compiled.source.determination;
  if (d?.counts_when) conditions.push(d.counts_when.when);
  for (const e of d?.exemptions ?? []) conditions.push(e.when);
  for (const b of d?.comprehensive ?? []) if (b.applies_when) conditions.push(b.applies_when);
  const stack = [...conditions];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if ('all' in c) stack.push(...c.all);
    else if ('any' in c) stack.push(...c.any);
    else if ('not' in c) stack.push(c.not);
    else if (Array.isArray(c.value)) for (const v of c.value) note(c.fact, v);
    else if (typeof c.value !== 'object') note(c.fact, c.value);
  }
  for (const table of compiled.tables.values()) {
    for (const row of table.rows) {
      if (row.range.lower) note(table.input, row.range.lower.value);
      if (row.range.upper) note(table.input, row.range.upper.value);
    }
  }
  return found;
}

/** Values of one fact, biased to the pack's thresholds. */
export function factValueArbitrary(fact: Fact, near: readonly unknown[] = []): fc.Arbitrary<unknown> {
  const numbers = near.filter((v): v is number => typeof v === 'number');
  switch (fact.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const [min, max] = [Math.ceil(fact.min ?? -1000), Math.floor(fact.max ?? 1_000_000)];
      const close = numbers
        .flatMap((t) => [Math.floor(t) - 1, Math.floor(t), Math.ceil(t), Math.ceil(t) + 1])
        .filter((v) => Number.isSafeInteger(v) && v >= min && v <= max);
      const broad = fc.integer({ min, max });
      return close.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...close), weight: 3 }, { arbitrary: broad, weight: 1 }) : broad;
    }
    case 'number': {
      const [min, max] = [fact.min ?? -1000, fact.max ?? 1_000_000];
      const close = numbers.flatMap((t) => [t, t - 0.01, t + 0.01, t * 0.999, t * 1.001, t - 1, t + 1]).filter((v) => v >= min && v <= max);
      const broad = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return close.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...close), weight: 3 }, { arbitrary: broad, weight: 1 }) : broad;
    }
    case 'enum':
      return fc.constantFrom(...(fact.values ?? []));
    case 'set':
      return fc.subarray([...(fact.values ?? [])]);
    case 'string': {
      const strings = near.filter((v): v is string => typeof v === 'string');
      return strings.length > 0 ? fc.oneof(fc.constantFrom(...strings), fc.string()) : fc.string();
    }
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
}

/** Pairs of facts that a condition compares with each other (`value: { fact: … }`). */
export function comparedPairs(pack: Pack | CompiledPack): Array<[string, string]> {
  const compiled = compiledOf(pack);
  const pairs = new Map<string, [string, string]>();
  const stack: Condition[] = compiled.rules.map((r) => r.condition);
  while (stack.length > 0) {
    const c = stack.pop()!;
    if ('all' in c) stack.push(...c.all);
    else if ('any' in c) stack.push(...c.any);
    else if ('not' in c) stack.push(c.not);
    else if (c.value !== null && typeof c.value === 'object' && !Array.isArray(c.value)) {
      const other = c.value.fact;
      if (compiled.source.facts[c.fact] && compiled.source.facts[other]) pairs.set([c.fact, other].sort().join(' '), [c.fact, other]);
    }
  }
  return [...pairs.values()];
}

/**
 * A record of fact values drawn from the vocabulary (all present, or each optional). Facts that
 * a condition compares with each other are often drawn equal or one step apart: drawn
 * independently they would almost never meet, and the boundary is where encodings go wrong.
 */
export function factsArbitrary(pack: Pack | CompiledPack, options: FindingOptions = {}): fc.Arbitrary<FactValues> {
  const compiled = compiledOf(pack);
  const near = thresholds(compiled);
  const names = options.facts ?? Object.keys(compiled.source.facts);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) model[name] = factValueArbitrary(compiled.source.facts[name]!, near.get(name));
  const record = options.complete ? fc.record(model) : fc.record(model, { requiredKeys: [] });
  const pairs = comparedPairs(compiled).filter(([a, b]) => a in model && b in model);
  if (pairs.length === 0) return record;
  const offsets = [null, 0, 0, 1, -1, 0.01, -0.01];
  return fc
    .tuple(record, fc.array(fc.constantFrom(...offsets), { minLength: pairs.length, maxLength: pairs.length }))
    .map(([facts, ties]) => {
      const out: FactValues = { ...facts };
      pairs.forEach(([a, b], i) => {
        const offset = ties[i];
        if (offset === null || offset === undefined || typeof out[a] !== 'number' || typeof out[b] !== 'number') return;
        const value = (out[b] as number) + offset;
        const fact = compiled.source.facts[a]!;
        // A tie must stay a valid value of the fact: its type and its declared bounds.
        if (isMemberValue(fact, value) && (fact.min === undefined || value >= fact.min) && (fact.max === undefined || value <= fact.max)) out[a] = value;
      });
      return out;
    });
}

/**
 * Fact records that some clause reads: where a drawn record reaches no rule (only context facts,
 * or none), one observation fact that a rule reads is added. The engine refuses a finding that
 * reaches no clause (`no-rule-reached`), so valid findings must reach one.
 */
export function reachingFactsArbitrary(pack: Pack | CompiledPack, facts: fc.Arbitrary<FactValues>): fc.Arbitrary<FactValues> {
  const compiled = compiledOf(pack);
  const reaching = [...compiled.rulesByFact.keys()];
  if (reaching.length === 0) return facts;
  const near = thresholds(compiled);
  const one = fc.constantFrom(...reaching).chain((name) => factValueArbitrary(compiled.source.facts[name]!, near.get(name)).map((value) => [name, value] as const));
  return fc.tuple(facts, one).map(([record, [name, value]]) => (Object.keys(record).some((n) => compiled.rulesByFact.has(n)) ? record : { ...record, [name]: value }));
}

/** Valid findings for a pack, pinned to it (so any edition can be tested on its own); each reaches some clause. */
export function findingArbitrary(pack: Pack | CompiledPack, options: FindingOptions = {}): fc.Arbitrary<GeneratedFinding> {
  const compiled = compiledOf(pack);
  return reachingFactsArbitrary(compiled, factsArbitrary(compiled, options)).map((facts) => ({
    standard: compiled.standard,
    pack: compiled.id,
    observed_at: options.observedAt ?? compiled.effectiveFrom,
    facts,
  }));
}

/** A finding that must be refused, and the fact the error must name. */
export interface InvalidFinding {
  finding: GeneratedFinding;
  fact: string;
  kind: 'unknown-fact' | 'wrong-type' | 'bad-enum';
}

/** Invalid findings: an unknown fact, a value of the wrong type, or an undeclared enum value. */
export function invalidFindingArbitrary(pack: Pack | CompiledPack): fc.Arbitrary<InvalidFinding> {
  const compiled = compiledOf(pack);
  const facts = compiled.source.facts;
  const names = Object.keys(facts);
  const base = findingArbitrary(compiled);
  const unknown = fc
    .tuple(base, fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).filter((n) => !(n in facts)), fc.anything())
    .map(([finding, name, value]) => ({ finding: { ...finding, facts: { ...finding.facts, [name]: value ?? 1 } }, fact: name, kind: 'unknown-fact' as const }));
  const wrongType = fc
    .tuple(base, fc.constantFrom(...names))
    .chain(([finding, name]) =>
      wrongValueArbitrary(facts[name]!).map((value) => ({ finding: { ...finding, facts: { ...finding.facts, [name]: value } }, fact: name, kind: 'wrong-type' as const })),
    );
  const enums = names.filter((n) => facts[n]!.type === 'enum');
  const arbitraries: Array<fc.Arbitrary<InvalidFinding>> = [unknown, wrongType];
  if (enums.length > 0) {
    arbitraries.push(
      fc
        .tuple(base, fc.constantFrom(...enums), fc.string({ minLength: 1 }))
        .filter(([, name, value]) => !(facts[name]!.values ?? []).includes(value))
        .map(([finding, name, value]) => ({ finding: { ...finding, facts: { ...finding.facts, [name]: value } }, fact: name, kind: 'bad-enum' as const })),
    );
  }
  return fc.oneof(...arbitraries);
}

/** A value that is not of the fact's type. */
function wrongValueArbitrary(fact: Fact): fc.Arbitrary<unknown> {
  switch (fact.type) {
    case 'boolean':
      return fc.oneof(fc.integer(), fc.string(), fc.constant(null));
    case 'number':
      return fc.oneof(fc.boolean(), fc.string(), fc.constant(null), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
    case 'integer':
      return fc.oneof(fc.boolean(), fc.string(), fc.constant(0.5), fc.constant(null));
    case 'enum':
    case 'string':
      return fc.oneof(fc.boolean(), fc.integer(), fc.constant(null), fc.array(fc.integer(), { minLength: 1 }));
    case 'set':
      return fc.oneof(fc.boolean(), fc.integer(), fc.constant('x'), fc.constant(null));
    case 'date':
      return fc.oneof(fc.boolean(), fc.integer(), fc.constant('2026-02-30'), fc.constant('yesterday'));
  }
}

/** Every way to fill in the facts a partial finding lacks (for soundness of `undetermined`). */
export function completionArbitrary(pack: Pack | CompiledPack, partial: FactValues, only?: readonly string[]): fc.Arbitrary<FactValues> {
  const compiled = compiledOf(pack);
  const missing = (only ?? Object.keys(compiled.source.facts)).filter((n) => partial[n] === undefined);
  return factsArbitrary(compiled, { complete: true, facts: missing }).map((filled) => ({ ...partial, ...filled }));
}
