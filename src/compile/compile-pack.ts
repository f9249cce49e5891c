/**
 * Compile: a validated `Pack` → a `CompiledPack`. Everything that does not depend on a finding
 * is done here, once: fact readers resolved, table rows parsed, conditions turned into
 * closures, rules indexed by the observation facts they read, the finding schema derived.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Condition, Fact, Gap, Pack, Rule } from '../pack/schema.js';
import { compileCondition, FALSE, factsRead, TRUE, UNKNOWN, type Evaluate, type FactMap, type Reader, type ReaderFactory, type Truth } from './condition.js';
import { compileDetermination, type CompiledDetermination } from './determination.js';
import { factsSchema, valueCheck } from './facts.js';
import { compileDerived, type CompiledDerived } from './derived.js';
import { compileTable, type CompiledTable } from './tables.js';

export interface Assumption {
  fact: string;
  value: unknown;
  reason: string;
  reason_en: string;
}

export interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly source: Rule;
  /** Observation facts the rule reads: a finding giving any of them makes the rule applicable. */
  readonly observes: readonly string[];
  /** applies_when ∧ when ∧ ¬unless, three-valued, reading declared defaults where the rule assumes them. */
  readonly evaluate: Evaluate;
  /** The whole rule as one condition (for explanations and for json-rules-engine). */
  readonly condition: Condition;
  readonly readers: ReaderFactory;
  readonly assumptions: readonly Assumption[];
  /** The references mark the clause's text unverified (a reconstruction). */
  readonly unverified: boolean;
  /**
   * Whether a verdict short of major that relied on this rule must say so: its text is a
   * reconstruction (`unverified`), or rests on one secondary witness (`single-witness`).
   */
  readonly caveat?: 'unverified' | 'single-witness';
  readonly effectiveFrom?: string;
  readonly effectiveTo?: string;
}

export interface FactEntry {
  readonly check: (value: unknown) => boolean;
  readonly rules: readonly CompiledRule[];
}

export interface CompiledGap {
  readonly source: Gap;
  readonly from: string;
  readonly to?: string;
  readonly scope?: Evaluate;
}

/**
 * The edition a verdict was judged by: enough to find it again and to prove it is the same
 * (`engine.packs` and `hazard-rules list` give its title and document). Kept to plain ASCII on
 * purpose: it is repeated in every verdict of a batch of millions.
 */
export interface PackRef {
  id: string;
  version: string;
  /** sha256 of the pack's canonical content: re-derive any past verdict from the same pack. */
  hash: string;
  effective_from: string;
  effective_to?: string;
}

export interface CompiledPack {
  readonly id: string;
  readonly version: string;
  readonly standard: string;
  /** sha256 of the pack's canonical JSON: the same content always has the same hash. */
  readonly hash: string;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly source: Pack;
  readonly file?: string;
  /** What verdicts name this edition by; one frozen object, shared by all of them. */
  readonly ref: Readonly<PackRef>;
  /** The site-level determination, if the pack declares one. */
  readonly determination?: CompiledDetermination;
  readonly rules: readonly CompiledRule[];
  readonly ruleById: ReadonlyMap<string, CompiledRule>;
  /** For each observation fact, the rules that read it. */
  readonly rulesByFact: ReadonlyMap<string, readonly CompiledRule[]>;
  /**
   * Every declared fact: the test of a valid value and the rules it reaches (none for context
   * facts). One lookup per fact lets the judge check a finding while it walks it.
   */
  readonly factIndex: ReadonlyMap<string, FactEntry>;
  readonly gaps: readonly CompiledGap[];
  readonly tables: ReadonlyMap<string, CompiledTable>;
  /** The pack's derived facts, by name. */
  readonly derived: ReadonlyMap<string, CompiledDerived>;
  readonly factsSchema: z.ZodType<Record<string, unknown>>;
  /** True exactly when `factsSchema` accepts the record as it is (the fast path). */
  readonly factsAreValid: (facts: unknown) => boolean;
  readonly readers: ReaderFactory;
  /**
   * For a lazily compiled pack: the compiled pack itself (compiling it on the first call), which
   * callers on the hot path judge on instead of going through its getters.
   */
  readonly resolve?: () => CompiledPack;
  /** The judge's working space (see classify/judge.ts): one mark per rule. Not part of the API. */
  readonly scratch: { marks: Uint32Array; stamp: number; reached: Array<readonly CompiledRule[]> };
}

/**
 * `options.hash`: the pack's content hash when it is already known (the build-time cache of the
 * bundled packs computed it from the same data); otherwise it is computed here.
 */
export function compilePack(pack: Pack, options: { file?: string; hash?: string } = {}): CompiledPack {
  const { readers, tables, derived } = plainReaders(pack);
  const rules = pack.rules.map((rule, index) => compileRule(pack, rule, index, readers));

  const rulesByFact = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    for (const fact of rule.observes) {
      let list = rulesByFact.get(fact);
      if (!list) rulesByFact.set(fact, (list = []));
      list.push(rule);
    }
  }

  const factIndex = new Map<string, FactEntry>(
    Object.entries(pack.facts).map(([name, fact]) => [name, { check: valueCheck(fact), rules: rulesByFact.get(name) ?? [] }]),
  );

  const gaps = (pack.gaps ?? []).map<CompiledGap>((gap) => ({
    source: gap,
    from: gap.effective_from ?? pack.standard.effective_from,
    to: gap.effective_to ?? pack.standard.effective_to,
    scope: gap.scope && compileCondition(gap.scope, readers),
  }));

  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const hash = options.hash ?? hashPack(pack);
  const ref = packRef(pack, hash);

  let schema: z.ZodType<Record<string, unknown>> | undefined;
  return {
    id: pack.id,
    version: pack.version,
    standard: pack.standard.id,
    hash,
    effectiveFrom: pack.standard.effective_from,
    effectiveTo: pack.standard.effective_to,
    source: pack,
    file: options.file,
    ref,
    determination: pack.determination && compileDetermination(pack.determination, rules, ruleById, readers),
    rules,
    ruleById,
    rulesByFact,
    factIndex,
    gaps,
    tables,
    derived,
    scratch: { marks: new Uint32Array(rules.length), stamp: 0, reached: [] },
    // The zod schema is needed only to explain a refusal: build it then.
    get factsSchema() {
      return (schema ??= factsSchema(pack));
    },
    factsAreValid: (facts) => factsAreValid(factIndex, facts),
    readers,
  };
}

function compileRule(pack: Pack, rule: Rule, index: number, plain: ReaderFactory): CompiledRule {
  const parts: Condition[] = [];
  if (rule.applies_when) parts.push(rule.applies_when);
  parts.push(rule.when);
  if (rule.unless) parts.push({ not: rule.unless });
  const condition: Condition = parts.length === 1 ? parts[0]! : { all: parts };

  const assumptions = (rule.assume ?? []).map<Assumption>((fact) => ({ fact, ...pack.defaults![fact]! }));
  const readers = assumptions.length > 0 ? withDefaults(plain, assumptions) : plain;

  const reads = [rule.when, ...(rule.unless ? [rule.unless] : [])].flatMap(factsRead).flatMap((n) => [...plain.inputsOf(n)]);
  const observes = [...new Set(reads.filter((name) => pack.facts[name]?.kind === 'observation'))];

  return {
    index,
    id: rule.id,
    source: rule,
    observes,
    evaluate: compileCondition(condition, readers),
    condition,
    readers,
    assumptions,
    unverified: rule.unverified === true,
    caveat: rule.unverified === true ? 'unverified' : rule.provenance === 'verbatim-1' ? 'single-witness' : undefined,
    effectiveFrom: rule.effective_from,
    effectiveTo: rule.effective_to,
  };
}

/**
 * How conditions read names: a recorded fact by its key, a table limit through its input, a
 * derived fact through its operands. Tables and derived facts may read each other (validation
 * has refused cycles), so each is compiled on first use and kept.
 */
function plainReaders(pack: Pack): { readers: ReaderFactory; tables: Map<string, CompiledTable>; derived: Map<string, CompiledDerived> } {
  const tables = new Map<string, CompiledTable>();
  const derived = new Map<string, CompiledDerived>();
  const cache = new Map<string, Reader>();
  const tableOf = (name: string): CompiledTable | undefined => {
    const source = pack.tables?.[name];
    if (!source) return undefined;
    let table = tables.get(name);
    if (!table) tables.set(name, (table = compileTable(source, readers.reader(source.input))));
    return table;
  };
  const derivedOf = (name: string): CompiledDerived | undefined => {
    const source = pack.derived?.[name];
    if (!source) return undefined;
    let entry = derived.get(name);
    if (!entry) derived.set(name, (entry = compileDerived(name, source, readers)));
    return entry;
  };
  const readers: ReaderFactory = {
    reader(name) {
      let read = cache.get(name);
      if (!read) {
        read = tableOf(name)?.reader ?? derivedOf(name)?.reader ?? ((facts: FactMap) => facts[name]);
        cache.set(name, read);
      }
      return read;
    },
    inputsOf(name) {
      const table = pack.tables?.[name];
      if (table) return readers.inputsOf(table.input);
      return derivedOf(name)?.inputs ?? [name];
    },
    possibleValues: (name) => tableOf(name)?.possibleLimits,
    bounds(name) {
      const fact = pack.facts[name];
      if (!fact || (fact.min === undefined && fact.max === undefined)) return undefined;
      return [fact.min ?? -Infinity, fact.max ?? Infinity] as const;
    },
  };
  // Compile every declared table and derived fact now, used or not: the pack exports them all.
  for (const name of Object.keys(pack.tables ?? {})) tableOf(name);
  for (const name of Object.keys(pack.derived ?? {})) derivedOf(name);
  return { readers, tables, derived };
}

/** Readers that fall back on a declared default where the rule assumes one. */
function withDefaults(plain: ReaderFactory, assumptions: readonly Assumption[]): ReaderFactory {
  const defaults = new Map(assumptions.map((a) => [a.fact, a.value]));
  return {
    reader(name) {
      const read = plain.reader(name);
      if (!defaults.has(name)) return read;
      const fallback = defaults.get(name);
      return (facts, date) => {
        const value = read(facts, date);
        return value === undefined ? fallback : value;
      };
    },
    inputsOf: plain.inputsOf,
    possibleValues: plain.possibleValues,
    // A fact read through its default is never missing: its bounds never decide.
    bounds: (name) => (defaults.has(name) ? undefined : plain.bounds?.(name)),
  };
}

/**
 * The fast acceptance test for a fact record, from the same per-fact checks the judge uses:
 * true exactly when the zod schema would accept the record unchanged (a property test holds the
 * two together). Records that fail it go through zod, which says what is wrong.
 */
function factsAreValid(index: ReadonlyMap<string, FactEntry>, facts: unknown): boolean {
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) return false;
  for (const key in facts) {
    if (!Object.prototype.hasOwnProperty.call(facts, key)) return false;
    const entry = index.get(key);
    if (entry === undefined || !entry.check((facts as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** Whether a rule is in force on a date (half-open period). */
export function ruleInForce(rule: CompiledRule, date: string): boolean {
  return (rule.effectiveFrom === undefined || date >= rule.effectiveFrom) && (rule.effectiveTo === undefined || date < rule.effectiveTo);
}

export function hashPack(pack: Pack): string {
  return contentHash(pack);
}

/** sha256 of a value's canonical JSON: the same content always has the same hash (packs, schemes). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with sorted keys, so the hash does not depend on key order or YAML formatting. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export { FALSE, TRUE, UNKNOWN, type Truth, type Fact };

/**
 * A compiled pack whose rules are compiled on first use: its identity (id, edition period,
 * content hash, the reference verdicts carry) is there at once, its closures and indexes when a
 * finding first needs them. An engine over every bundled pack then builds only the editions its
 * findings reach (a coal-only batch never compiles the fire pack), in time and in memory.
 */
/** What verdicts name an edition by: one frozen object per pack. */
function packRef(pack: Pack, hash: string): Readonly<PackRef> {
  const ref: PackRef = { id: pack.id, version: pack.version, hash, effective_from: pack.standard.effective_from };
  if (pack.standard.effective_to) ref.effective_to = pack.standard.effective_to;
  return Object.freeze(ref);
}

/** The parts of a compiled pack that only compiling gives. */
const COMPILED_PARTS = ['determination', 'rules', 'ruleById', 'rulesByFact', 'factIndex', 'gaps', 'tables', 'derived', 'factsSchema', 'readers', 'scratch'] as const;

export function lazilyCompiledPack(pack: Pack, options: { file?: string; hash?: string } = {}): CompiledPack {
  let compiled: CompiledPack | undefined;
  const hash = options.hash ?? hashPack(pack);
  const full = (): CompiledPack => (compiled ??= compilePack(pack, { ...options, hash }));
  const frozenRef = packRef(pack, hash);
  const lazy = {
    id: pack.id,
    version: pack.version,
    standard: pack.standard.id,
    hash,
    effectiveFrom: pack.standard.effective_from,
    effectiveTo: pack.standard.effective_to,
    source: pack,
    file: options.file,
    ref: frozenRef,
    resolve: full,
    factsAreValid: (facts: unknown) => full().factsAreValid(facts),
  };
  // Everything else is the compiled pack's, compiled on first read.
  for (const key of COMPILED_PARTS) Object.defineProperty(lazy, key, { enumerable: true, get: () => full()[key] });
  return lazy as unknown as CompiledPack;
}
