/**
 * Judging one finding on one edition: visit only the rules the finding speaks to (through the
 * index of rules by observation fact), evaluate each three-valued, then explain the few that
 * matched or stayed open. The hot path allocates nothing per rule.
 */
import { explain, TRUE, UNKNOWN, type FactMap } from '../compile/condition.js';
import { ruleInForce, type CompiledPack, type CompiledRule } from '../compile/compile-pack.js';
import type { Level } from '../pack/schema.js';
import { applyGaps } from './gaps.js';
import type { AssumptionUsed, Caveat, Match, Missing } from './verdict.js';

export interface Judgement {
  level: Level;
  matches: Match[];
  missing: Missing[];
  /** Rules evaluated and found not met, in pack order: what a `general` verdict rests on. */
  checked: string[];
  /** How many rules the finding's facts reach (in force on the day or not). */
  reached: number;
  assumptions: AssumptionUsed[];
  caveats: Caveat[];
}

/** What `judge` answers, when asked to check, for a fact map the fast test refuses. */
export const REFUSED = 'refused';

/**
 * Judges a fact map. With `check`, it also tests each fact against the vocabulary as it walks
 * them (one lookup per fact serves both) and answers REFUSED at the first fact it cannot accept:
 * the caller then takes the slow path, which says what is wrong.
 */
export function judge(pack: CompiledPack, facts: FactMap, date: string): Judgement;
export function judge(pack: CompiledPack, facts: FactMap, date: string, check: true): Judgement | typeof REFUSED;
export function judge(pack: CompiledPack, facts: FactMap, date: string, check = false): Judgement | typeof REFUSED {
  // A rule reached through several of the finding's facts is judged once: marks[rule] holds the
  // stamp of the last finding that reached it (no Set allocated per finding).
  const scratch = pack.scratch;
  if (++scratch.stamp === 0xffffffff) {
    scratch.marks.fill(0);
    scratch.stamp = 1;
  }
  const marks = scratch.marks;
  const stamp = scratch.stamp;

  // Every fact is looked up (and, when asked, checked) before any rule runs: a rule must never
  // see a value of the wrong type.
  const reached = scratch.reached;
  let count = 0;
  for (const name in facts) {
    const entry = pack.factIndex.get(name);
    if (check && (entry === undefined || !entry.check(facts[name]))) return REFUSED;
    if (entry !== undefined && entry.rules.length > 0) reached[count++] = entry.rules;
  }

  let matched: CompiledRule[] | undefined;
  let open: CompiledRule[] | undefined;
  let notMet: CompiledRule[] | undefined;
  let reachedRules = 0;
  let assumed: CompiledRule[] | undefined;
  let unverified: CompiledRule[] | undefined;
  for (let k = 0; k < count; k++) {
    const rules = reached[k]!;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (marks[rule.index] === stamp) continue;
      marks[rule.index] = stamp;
      reachedRules++;
      if (rule.effectiveFrom !== undefined || rule.effectiveTo !== undefined) {
        if (!ruleInForce(rule, date)) continue;
      }
      const result = rule.evaluate(facts, date);
      if (result === TRUE) (matched ??= []).push(rule);
      else if (result === UNKNOWN) (open ??= []).push(rule);
      else (notMet ??= []).push(rule);
      if (rule.assumptions.length > 0) (assumed ??= []).push(rule);
      if (rule.caveat !== undefined && result !== TRUE) (unverified ??= []).push(rule);
    }
  }

  // Report in pack order, whatever order the finding's facts came in.
  const matches: Match[] = [];
  if (matched !== undefined) for (const rule of inPackOrder(matched)) matches.push(describeMatch(pack, rule, facts, date));
  const missing: Missing[] = [];
  if (open !== undefined) {
    for (const rule of inPackOrder(open)) {
      const facts_ = [...explain(rule.condition, facts, date, rule.readers).missing].sort();
      missing.push({ rule: rule.id, clause: rule.source.clause, reason: 'fact-missing', facts: facts_ });
    }
  }
  const checked: string[] = [];
  if (notMet !== undefined) for (const rule of inPackOrder(notMet)) checked.push(rule.id);
  const assumptions: AssumptionUsed[] = [];
  if (assumed !== undefined) for (const rule of inPackOrder(assumed)) assumptions.push(...assumptionsUsed(rule, facts, date));

  let level: Level = matches.length > 0 ? 'major' : missing.length > 0 ? 'undetermined' : 'general';
  const caveats: Caveat[] = [];
  if (level !== 'major') {
    // A verdict short of major that rests on a reconstructed or single-witness clause says so
    // (a match reports its own `unverified` and `provenance`).
    if (unverified !== undefined) {
      for (const rule of inPackOrder(unverified)) {
        caveats.push(ruleCaveat(rule));
      }
    }
    if (pack.gaps.length > 0 && applyGaps(pack, facts, date, caveats, missing)) level = 'undetermined';
  }
  return { level, matches, missing, checked, reached: reachedRules, assumptions, caveats };
}

const inPackOrder = (rules: CompiledRule[]): CompiledRule[] => (rules.length > 1 ? rules.sort((a, b) => a.index - b.index) : rules);

function describeMatch(pack: CompiledPack, rule: CompiledRule, facts: FactMap, date: string): Match {
  const why = explain(rule.condition, facts, date, rule.readers);
  const decided: Record<string, unknown> = {};
  for (const name of [...why.decisive].sort()) {
    const value = facts[name] ?? rule.assumptions.find((a) => a.fact === name)?.value;
    // A set fact's list is copied: a verdict shares no mutable object with its input.
    decided[name] = Array.isArray(value) ? [...value] : value;
  }
  const source = rule.source;
  return {
    rule: rule.id,
    clause: source.clause,
    text: source.text,
    text_en: source.text_en,
    instrument: source.instrument ?? pack.source.standard.document_number,
    unverified: source.unverified === true,
    ...(source.provenance !== undefined && source.provenance !== 'verbatim-2' ? { provenance: source.provenance } : {}),
    facts: decided,
  };
}

/** The caveat a verdict short of major carries for a rule whose text is not fully attested. */
export function ruleCaveat(rule: CompiledRule): Caveat {
  const source = rule.source;
  if (rule.caveat === 'single-witness') return { kind: 'single-witness-rule', rule: rule.id, clause: source.clause };
  return { kind: 'unverified-rule', rule: rule.id, clause: source.clause, ...(source.note ? { note: source.note } : {}) };
}

/**
 * The declared defaults a rule actually relied on: the fact was missing, and either it decided
 * the rule's value or the rule stayed open anyway.
 */
export function assumptionsUsed(rule: CompiledRule, facts: FactMap, date: string): AssumptionUsed[] {
  const used = rule.assumptions.filter((a) => facts[a.fact] === undefined);
  if (used.length === 0) return [];
  const why = explain(rule.condition, facts, date, rule.readers);
  return used
    .filter((a) => why.value === UNKNOWN || why.decisive.has(a.fact))
    .map((a) => ({ rule: rule.id, fact: a.fact, value: a.value, reason: a.reason, reason_en: a.reason_en }));
}
