/**
 * Property 6 (part 2) — structure-aware mutations of every pack's parsed data, given to
 * `validatePack` as `{ data, file }`. Never a throw, always well-formed diagnostics; and an error
 * diagnostic whenever the mutation is known to break the pack:
 *
 * - drop a random key: an error when the pack JSON Schema (schemas/rule-pack.schema.json, run
 *   here with our own ajv as an independent oracle) rejects the result, or when the key was a
 *   fact declaration the pack still refers to;
 * - replace a scalar with a value of another JSON type (anywhere, and — wrong-type-typed — among
 *   the values typed by a fact): an error when the schema rejects it, and always for a value an
 *   example gives a fact, a condition's comparison value, or a default (each typed by its fact);
 * - swap a condition's operator for another string (the ten operators and invalid ones): an
 *   error for an invalid operator, for an operator that does not fit the fact's type (the table
 *   in docs/rule-authoring.md), and for in/notIn without a list or a list without in/notIn;
 * - delete a fact declaration: an error when anything still refers to the fact;
 * - duplicate a rule: a duplicate-rule-id error.
 * Mutations that leave the pack valid are allowed; then only "no throw" (and, when a pack comes
 * back, that it compiles) is asserted. A chaos property chains 1–4 random mutations.
 *
 * And one semantics-preserving mutation: wrapping a rule's `when` in `all: [·]`, `any: [·]` or
 * `not: { not: · }` any number of times keeps the pack valid with the very same verdicts while
 * the condition stays within MAX_CONDITION_DEPTH, and is refused with nesting-too-deep beyond it.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/loader-structure.test.ts -t '<test name>'`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { compilePack } from '../../src/compile/compile-pack.js';
import { hasErrors } from '../../src/pack/diagnostics.js';
import { loadPackFile } from '../../src/pack/load.js';
import { MAX_CONDITION_DEPTH } from '../../src/pack/validate.js';
import { validatePack } from '../../src/pipeline.js';
import { allPackFiles, compiled, ROOT } from '../helpers/packs.js';
import { checkValidation, packFindingArbitrary, params } from '../helpers/properties.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

const schemaValid = new Ajv({ strict: false, allErrors: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'rule-pack.schema.json'), 'utf8')));

const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'];
const INVALID_OPERATORS = ['', 'gt', '>', '==', 'greaterthan', 'GreaterThan', 'equal ', 'contain', 'includes', 'between', '__proto__'];
/** docs/rule-authoring.md, "Conditions": the operators each fact type takes. */
const OPERATORS_FOR: Record<string, string[]> = {
  boolean: ['equal', 'notEqual'],
  number: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn'],
  integer: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn'],
  enum: ['equal', 'notEqual', 'in', 'notIn'],
  string: ['equal', 'notEqual', 'in', 'notIn'],
  date: ['equal', 'notEqual'],
  set: ['contains', 'doesNotContain'],
};

const isObj = (v: unknown): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
const get = (root: Json, path: Path): Json => path.reduce<Json>((node, k) => (node as Record<string | number, Json>)[k]!, root);

/** Every path in the data, with its value. */
function walk(root: Json): Array<{ path: Path; value: Json }> {
  const out: Array<{ path: Path; value: Json }> = [];
  const stack: Array<{ path: Path; value: Json }> = [{ path: [], value: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    out.push(item);
    if (Array.isArray(item.value)) item.value.forEach((v, i) => stack.push({ path: [...item.path, i], value: v }));
    else if (isObj(item.value)) for (const [k, v] of Object.entries(item.value)) stack.push({ path: [...item.path, k], value: v });
  }
  return out;
}

const isLeafCondition = (v: Json): v is { fact: string; operator: string; value: Json } => isObj(v) && typeof v.fact === 'string' && 'operator' in v;

/** Paths (as strings) where a value is typed by a fact: example facts, condition values, defaults. */
function typedByFact(path: Path): boolean {
  const p = path.join('/');
  return (
    /(^|\/)examples\/\d+\/(facts|context)\/[^/]+(\/\d+)?$/.test(p) ||
    /^determination\/examples\/\d+\/(site\/[^/]+|findings\/\d+\/(facts|context)\/[^/]+)(\/\d+)?$/.test(p) ||
    /^defaults\/[^/]+\/value$/.test(p) ||
    // a condition's comparison value (not a fact reference's name, which the schema types)
    /(^|\/)value(\/\d+)?$/.test(p) && !p.startsWith('defaults/')
  );
}

/** Whether anything in the pack, other than its declaration, refers to a fact by name. */
function refersTo(data: Json, name: string): boolean {
  for (const { path, value } of walk(data)) {
    const p = path.join('/');
    if (p.startsWith('facts/')) continue;
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    if ((last === 'fact' || last === 'input') && value === name) return true;
    if (typeof last === 'number' && (parent === 'assume' || parent === 'missing') && value === name) return true;
    if (last === name && (parent === 'facts' || parent === 'context' || parent === 'site' || parent === 'defaults' || parent === 'tables')) return true;
  }
  return false;
}

interface Mutation {
  kind: string;
  data: Json;
  /** Why an error must be reported, if it must. */
  mustFail?: string;
  /** A code that must be among the diagnostics. */
  code?: string;
}

/** A mutation of `data` chosen by `pick` (a function of a random number, to stay reproducible). */
function mutate(data: Json, kind: string, r: number[]): Mutation | undefined {
  const at = (n: number, i: number) => Math.floor((r[i]! % 1) * n);
  const copy = structuredClone(data);
  const all = walk(copy);
  switch (kind) {
    case 'drop-key': {
      const keys = all.filter((x) => x.path.length > 0 && typeof x.path[x.path.length - 1] === 'string');
      if (keys.length === 0) return undefined;
      const { path } = keys[at(keys.length, 0)]!;
      const parent = get(copy, path.slice(0, -1)) as Record<string, Json>;
      delete parent[path[path.length - 1] as string];
      const isFactDecl = path.length === 2 && path[0] === 'facts';
      return {
        kind: `drop ${path.join('/')}`,
        data: copy,
        ...(isFactDecl && refersTo(copy, String(path[1])) ? { mustFail: `fact ${path[1]} is still referred to` } : {}),
      };
    }
    case 'wrong-type':
    case 'wrong-type-typed': {
      const scalars = all.filter((x) => x.path.length > 0 && (x.value === null || typeof x.value !== 'object') && (kind === 'wrong-type' || typedByFact(x.path)));
      if (scalars.length === 0) return undefined;
      const { path, value } = scalars[at(scalars.length, 0)]!;
      const others: Json[] = [
        ...(typeof value !== 'string' ? ['x', String(value)] : []),
        ...(typeof value !== 'number' ? [0, 1.5] : []),
        ...(typeof value !== 'boolean' ? [true, false] : []),
        null,
        [],
        {},
      ];
      const replacement = others[at(others.length, 1)]!;
      const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
      parent[path[path.length - 1]!] = replacement;
      return {
        kind: `${path.join('/')}: ${JSON.stringify(value)} → ${JSON.stringify(replacement)}`,
        data: copy,
        ...(typedByFact(path) ? { mustFail: 'a value typed by its fact' } : {}),
      };
    }
    case 'swap-operator': {
      const leaves = all.filter((x) => isLeafCondition(x.value));
      if (leaves.length === 0) return undefined;
      const { path, value } = leaves[at(leaves.length, 0)]!;
      const leaf = value as { fact: string; operator: string; value: Json };
      const choices = [...OPERATORS, ...INVALID_OPERATORS].filter((o) => o !== leaf.operator);
      const operator = choices[at(choices.length, 1)]!;
      (get(copy, path) as Record<string, Json>).operator = operator;
      const fact = isObj(copy) && isObj(copy.facts) ? copy.facts[leaf.fact] : undefined;
      const readsTable = isObj(copy) && isObj(copy.tables) && (leaf.fact in copy.tables || (isObj(leaf.value) && String(leaf.value.fact) in copy.tables));
      const type = isObj(fact) ? String(fact.type) : undefined;
      const isList = Array.isArray(leaf.value);
      const listOperator = operator === 'in' || operator === 'notIn';
      const reason = !OPERATORS.includes(operator)
        ? 'not an operator'
        : type && !readsTable && !OPERATORS_FOR[type]!.includes(operator)
          ? `${operator} does not fit a ${type} fact`
          : isList !== listOperator && !readsTable
            ? isList
              ? 'a list needs in/notIn'
              : 'in/notIn need a list'
            : undefined;
      return { kind: `${path.join('/')}: ${leaf.operator} → ${operator}`, data: copy, ...(reason ? { mustFail: reason } : {}) };
    }
    case 'delete-fact': {
      if (!isObj(copy) || !isObj(copy.facts)) return undefined;
      const names = Object.keys(copy.facts);
      if (names.length === 0) return undefined;
      const name = names[at(names.length, 0)]!;
      delete copy.facts[name];
      return { kind: `delete fact ${name}`, data: copy, ...(refersTo(copy, name) ? { mustFail: `fact ${name} is still referred to` } : {}) };
    }
    case 'duplicate-rule': {
      if (!isObj(copy) || !Array.isArray(copy.rules) || copy.rules.length === 0) return undefined;
      const rules = copy.rules;
      const i = at(rules.length, 0);
      rules.splice(at(rules.length + 1, 1), 0, structuredClone(rules[i]!));
      return { kind: `duplicate rule ${i}`, data: copy, mustFail: 'two rules share an id', code: 'duplicate-rule-id' };
    }
  }
  return undefined;
}

const KINDS = ['drop-key', 'wrong-type', 'wrong-type-typed', 'swap-operator', 'delete-fact', 'duplicate-rule'];
const randoms = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 2, maxLength: 2 });

describe.each(allPackFiles())('structure-aware mutations of %s', (file) => {
  const data = loadPackFile(file).data as Json;

  it.each(KINDS)('%s: never throws; an error whenever the mutation breaks the pack', (kind) => {
    fc.assert(
      fc.property(randoms, (r) => {
        const m = mutate(data, kind, r);
        if (!m) return;
        const result = validatePack({ data: m.data, file });
        checkValidation(result);
        const codes = result.diagnostics.map((d) => d.code);
        const why = m.mustFail ?? (schemaValid(m.data) ? undefined : 'the pack JSON Schema rejects it');
        if (why) expect(hasErrors(result.diagnostics), `${m.kind} (${why}) gave no error: ${JSON.stringify(codes)}`).toBe(true);
        if (m.code) expect(codes, m.kind).toContain(m.code);
        if (result.pack) expect(compilePack(result.pack).id).toBe(result.pack.id);
      }),
      params(30),
    );
  });

  it('chaos: 1–4 chained mutations never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...KINDS), randoms), { minLength: 1, maxLength: 4 }), (steps) => {
        let current = data;
        for (const [kind, r] of steps) current = mutate(current, kind, r)?.data ?? current;
        checkValidation(validatePack({ data: current, file }));
      }),
      params(25),
    );
  });
});

/** Depth of a condition as the validator counts it: the root is 1, each all/any/not adds 1. */
function conditionDepth(c: Json): number {
  if (!isObj(c)) return 1;
  if (Array.isArray(c.all)) return 1 + Math.max(...c.all.map(conditionDepth));
  if (Array.isArray(c.any)) return 1 + Math.max(...c.any.map(conditionDepth));
  if (isObj(c.not)) return 1 + conditionDepth(c.not);
  return 1;
}

describe.each(allPackFiles())('semantics-preserving nesting in %s', (file) => {
  const pack = compiled(file);
  const data = loadPackFile(file).data as { rules: Array<{ when: Json }> };
  const engine = createEngine({ packs: [pack] });
  const wrappers = fc.array(fc.constantFrom('all', 'any', 'notnot'), { minLength: 1, maxLength: 40 });

  it('wrapping a when in all/any/not-not: same verdicts within the depth limit, nesting-too-deep beyond, never a throw', () => {
    fc.assert(
      fc.property(fc.nat({ max: data.rules.length - 1 }), wrappers, fc.array(packFindingArbitrary(pack), { minLength: 1, maxLength: 5 }), (index, wraps, findings) => {
        const copy = structuredClone(data);
        let when = copy.rules[index]!.when;
        for (const w of wraps) when = w === 'all' ? { all: [when] } : w === 'any' ? { any: [when] } : { not: { not: when } };
        copy.rules[index]!.when = when;
        const depth = conditionDepth(when);
        const result = validatePack({ data: copy, file });
        checkValidation(result);
        const codes = result.diagnostics.map((d) => d.code);
        if (depth > MAX_CONDITION_DEPTH) {
          expect(codes, `depth ${depth}`).toContain('nesting-too-deep');
          return;
        }
        expect(result.diagnostics.filter((d) => d.severity === 'error'), `depth ${depth}`).toEqual([]);
        const wrapped = createEngine({ packs: [compilePack(result.pack!)] });
        for (const finding of findings) {
          const { pack: _a, ...ours } = wrapped.classify(finding);
          const { pack: _b, ...theirs } = engine.classify(finding);
          expect(ours).toEqual(theirs);
        }
      }),
      params(20),
    );
  });
});
