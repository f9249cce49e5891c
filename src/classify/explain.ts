/**
 * Explanations: for one finding, every rule of the edition chosen for it — matched, not
 * matched, unknown, not reached (no observation fact of it given) or not in force that day —
 * with each leaf's fact value against its threshold, the other fact or the table row.
 *
 * Nothing here decides anything anew: every truth value comes from the pack's compiled,
 * three-valued closures (`compileCondition` over the rule's own readers, with its declared
 * defaults), and every value from the pack's compiled readers, derived facts and tables.
 * It walks the condition tree only to show it. Not on the hot path.
 */
import { compileCondition, FALSE, TRUE, type Evaluate, type FactMap, type ReaderFactory, type Truth } from '../compile/condition.js';
import { ruleInForce, type CompiledPack, type CompiledRule, type PackRef } from '../compile/compile-pack.js';
import type { Condition, LeafCondition, Operator } from '../pack/schema.js';
import { OBSERVED_AT } from '../pack/format.js';
import { inRange } from '../pack/ranges.js';
import type { DateBasis, Verdict } from './verdict.js';

export type TruthName = 'true' | 'false' | 'unknown';

export type RuleStatus = 'matched' | 'not-matched' | 'unknown' | 'not-reached' | 'not-in-force';

/** Where a value shown in an explanation comes from. */
export type ValueSource = 'recorded' | 'default' | 'missing' | 'derived' | 'table' | 'observed_at';

/** A fact as a condition read it: its value, and how that value came about. */
export interface FactValue {
  fact: string;
  label?: string;
  unit?: string;
  /** The value read (undefined when missing; null when a table or ratio gives no value). */
  value?: unknown;
  source: ValueSource;
  /** For a derived fact: the operation and its operands with their values. */
  derived?: { operation: string; operands: Array<FactValue | { constant: number }> };
  /** For a table limit: the table's input, the row its value falls in, and that row's limit. */
  table?: { label?: string; input: FactValue; row?: string; limit: number | null };
}

export interface LeafExplanation {
  kind: 'leaf';
  value: TruthName;
  fact: FactValue;
  operator: Operator;
  /** A literal threshold (`value`) or another fact (`other`). */
  threshold: { value: unknown } | { other: FactValue };
}

export interface GroupExplanation {
  kind: 'all' | 'any' | 'not';
  value: TruthName;
  parts: NodeExplanation[];
}

export type NodeExplanation = LeafExplanation | GroupExplanation;

export interface RuleExplanation {
  rule: string;
  clause: string;
  text: string;
  text_en: string;
  status: RuleStatus;
  /** For `not-reached`: the observation facts that would reach the rule. */
  observes: string[];
  effective_from?: string;
  effective_to?: string;
  /** Declared defaults the rule reads where the finding does not give the fact. */
  defaults: Array<{ fact: string; value: unknown }>;
  /** The rule's parts as written: scope (`applies_when`), trigger (`when`) and proviso (`unless`). */
  applies_when?: NodeExplanation;
  when: NodeExplanation;
  unless?: NodeExplanation;
}

export interface FindingExplanation {
  id?: string | number;
  standard: string;
  observed_at: string;
  date_basis: DateBasis;
  pack: PackRef;
  /** The finding's verdict, when it has one (a finding that reaches no clause has none). */
  verdict?: Verdict;
  /** Every rule of the edition, in pack order. */
  rules: RuleExplanation[];
  counts: Record<RuleStatus, number>;
}

const NAMES: Record<Truth, TruthName> = { 0: 'false', 1: 'true', 2: 'unknown' };

/** Conditions compiled once per reader set (the rule's readers carry its defaults). */
const compiled = new WeakMap<ReaderFactory, WeakMap<Condition, Evaluate>>();

function evaluator(condition: Condition, readers: ReaderFactory): Evaluate {
  let byCondition = compiled.get(readers);
  if (!byCondition) compiled.set(readers, (byCondition = new WeakMap()));
  let evaluate = byCondition.get(condition);
  if (!evaluate) byCondition.set(condition, (evaluate = compileCondition(condition, readers)));
  return evaluate;
}

/** Explains every rule of `pack` on a checked fact map, judged on `date`. */
export function explainFacts(
  pack: CompiledPack,
  facts: FactMap,
  date: string,
  about: { id?: string | number; basis: DateBasis; verdict?: Verdict },
): FindingExplanation {
  const rules = pack.rules.map((rule) => explainRule(pack, rule, facts, date));
  const counts: Record<RuleStatus, number> = { matched: 0, 'not-matched': 0, unknown: 0, 'not-reached': 0, 'not-in-force': 0 };
  for (const r of rules) counts[r.status]++;
  return {
    ...(about.id !== undefined ? { id: about.id } : {}),
    standard: pack.standard,
    observed_at: date,
    date_basis: about.basis,
    pack: { ...pack.ref },
    ...(about.verdict ? { verdict: about.verdict } : {}),
    rules,
    counts,
  };
}

function explainRule(pack: CompiledPack, rule: CompiledRule, facts: FactMap, date: string): RuleExplanation {
  const source = rule.source;
  // As the judge does: a rule is reached through the observation facts the finding gives.
  const reached = rule.observes.some((name) => facts[name] !== undefined);
  const inForce = ruleInForce(rule, date);
  const value = rule.evaluate(facts, date);
  const status: RuleStatus = !inForce ? 'not-in-force' : !reached ? 'not-reached' : value === TRUE ? 'matched' : value === FALSE ? 'not-matched' : 'unknown';
  const node = (c: Condition) => explainNode(pack, rule.readers, rule, c, facts, date);
  return {
    rule: rule.id,
    clause: source.clause,
    text: source.text,
    text_en: source.text_en,
    status,
    observes: [...rule.observes],
    ...(source.effective_from ? { effective_from: source.effective_from } : {}),
    ...(source.effective_to ? { effective_to: source.effective_to } : {}),
    defaults: rule.assumptions.filter((a) => facts[a.fact] === undefined).map((a) => ({ fact: a.fact, value: a.value })),
    ...(source.applies_when ? { applies_when: node(source.applies_when) } : {}),
    when: node(source.when),
    ...(source.unless ? { unless: node(source.unless) } : {}),
  };
}

function explainNode(pack: CompiledPack, readers: ReaderFactory, rule: CompiledRule, condition: Condition, facts: FactMap, date: string): NodeExplanation {
  const value = NAMES[evaluator(condition, readers)(facts, date)];
  const part = (c: Condition) => explainNode(pack, readers, rule, c, facts, date);
  if ('all' in condition) return { kind: 'all', value, parts: condition.all.map(part) };
  if ('any' in condition) return { kind: 'any', value, parts: condition.any.map(part) };
  if ('not' in condition) return { kind: 'not', value, parts: [part(condition.not)] };
  const leaf = condition as LeafCondition;
  const other = leaf.value;
  const isRef = other !== null && typeof other === 'object' && !Array.isArray(other) && typeof (other as { fact?: unknown }).fact === 'string';
  return {
    kind: 'leaf',
    value,
    fact: factValue(pack, readers, rule, leaf.fact, facts, date),
    operator: leaf.operator,
    threshold: isRef ? { other: factValue(pack, readers, rule, (other as { fact: string }).fact, facts, date) } : { value: other },
  };
}

/** A name as the rule reads it: recorded, by default, derived (with its operands) or a table limit (with its row). */
export function factValue(pack: CompiledPack, readers: ReaderFactory, rule: CompiledRule | undefined, name: string, facts: FactMap, date: string): FactValue {
  if (name === OBSERVED_AT) return { fact: name, value: date, source: 'observed_at' };
  const read = readers.reader(name)(facts, date);
  const declared = pack.source.facts[name];
  const table = pack.tables.get(name);
  const derived = pack.derived.get(name);
  const meta = table
    ? { label: pack.source.tables?.[name]?.label, unit: pack.source.tables?.[name]?.unit }
    : derived
      ? { label: pack.source.derived?.[name]?.label, unit: pack.source.derived?.[name]?.unit }
      : { label: declared?.label, unit: declared?.unit };
  const base: FactValue = { fact: name, ...(meta.label ? { label: meta.label } : {}), ...(meta.unit ? { unit: meta.unit } : {}), source: 'missing' };
  if (read !== undefined) base.value = read;
  if (table) {
    const input = factValue(pack, readers, rule, table.input, facts, date);
    const x = input.value;
    // The row `lookup` used: the first whose printed range holds the input.
    const row = typeof x === 'number' ? table.rows.find((r) => inRange(r.range, x)) : undefined;
    base.source = read === undefined ? 'missing' : 'table';
    base.table = { ...(meta.label ? { label: meta.label } : {}), input, ...(row ? { row: row.printed } : {}), limit: read === undefined ? null : (read as number | null) };
    return base;
  }
  if (derived) {
    base.source = read === undefined ? 'missing' : 'derived';
    base.derived = {
      operation: derived.operation,
      operands: derived.operands.map((o) => (typeof o === 'number' ? { constant: o } : factValue(pack, readers, rule, o, facts, date))),
    };
    return base;
  }
  if (read === undefined) return base;
  base.source = facts[name] === undefined && rule?.assumptions.some((a) => a.fact === name) ? 'default' : 'recorded';
  return base;
}

const STATUS: Record<RuleStatus, string> = {
  matched: '✔ matched     ',
  'not-matched': '✘ not matched ',
  unknown: '? unknown     ',
  'not-reached': '· not reached ',
  'not-in-force': '⌀ not in force',
};

const MARK: Record<TruthName, string> = { true: '✔', false: '✘', unknown: '?' };

const OPERATOR: Record<Operator, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

/** A clause's text in one line (the whole text is in the JSON form). */
const firstLine = (text: string): string => {
  const first = text.split('\n')[0]!;
  return first.length < text.length ? `${first} …` : first;
};

const show = (value: unknown): string =>
  value === undefined ? '(missing)' : value === null ? '(no value)' : Array.isArray(value) ? `[${value.map(show).join(', ')}]` : typeof value === 'string' ? JSON.stringify(value) : String(value);

/** `name = value unit`, and how the value came about (default, derived from…, table row…). */
function showFact(f: FactValue): string {
  const unit = f.unit && f.value !== undefined && f.value !== null ? ` ${f.unit}` : '';
  let text = `${f.fact} = ${show(f.value)}${unit}`;
  if (f.source === 'default') text += ' (declared default)';
  if (f.derived) {
    const operands = f.derived.operands.map((o) => ('constant' in o ? String(o.constant) : showFact(o))).join(', ');
    text += ` [${f.derived.operation} of ${operands}]`;
  }
  if (f.table) {
    const where = f.table.row ? `row ${f.table.row}` : f.table.input.value === undefined ? 'row unknown' : 'no row';
    text += ` [${f.table.label ?? 'table'}: ${where} for ${showFact(f.table.input)}]`;
  }
  return text;
}

function showNode(node: NodeExplanation, indent: string, out: string[], title?: string): void {
  const head = title ? `${title} ` : '';
  if (node.kind === 'leaf') {
    const threshold = 'other' in node.threshold ? showFact(node.threshold.other) : show(node.threshold.value);
    out.push(`${indent}${MARK[node.value]} ${head}${showFact(node.fact)}  ${OPERATOR[node.operator]}  ${threshold}`);
    return;
  }
  out.push(`${indent}${MARK[node.value]} ${head}${node.kind === 'all' ? 'all of' : node.kind === 'any' ? 'any of' : 'not'}:`);
  for (const part of node.parts) showNode(part, indent + '    ', out);
}

/**
 * An explanation for a terminal: one block per rule; rules not reached or not in force in one
 * line each (their conditions are in the JSON form).
 */
export function formatExplanation(e: FindingExplanation): string {
  const out: string[] = [];
  const date = e.date_basis === 'today' ? `${e.observed_at} (today: no observed_at)` : e.observed_at;
  const level = e.verdict ? e.verdict.level : 'no verdict (no clause reached)';
  out.push(`${e.id !== undefined ? `[${e.id}] ` : ''}${e.pack.id} v${e.pack.version}, judged on ${date}: ${level}`);
  const c = e.counts;
  out.push(`  ${c.matched} matched, ${c['not-matched']} not matched, ${c.unknown} unknown, ${c['not-reached']} not reached, ${c['not-in-force']} not in force`);
  for (const r of e.rules) {
    out.push(`${STATUS[r.status]} ${r.rule} ${r.clause} ${firstLine(r.text)}`);
    if (r.status === 'not-reached') {
      out.push(`      no observation fact of it given (${r.observes.join(', ')})`);
      continue;
    }
    if (r.status === 'not-in-force') {
      out.push(`      in force ${r.effective_from ?? '…'} – ${r.effective_to ?? '…'}, not on ${e.observed_at}`);
      continue;
    }
    if (r.applies_when) showNode(r.applies_when, '      ', out, 'applies when');
    showNode(r.when, '      ', out, r.applies_when || r.unless ? 'when' : undefined);
    if (r.unless) showNode(r.unless, '      ', out, 'unless');
    for (const d of r.defaults) out.push(`      ≈ ${d.fact} not given: declared default ${show(d.value)} used`);
  }
  return out.join('\n');
}
