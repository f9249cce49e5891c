/**
 * Judging one finding on one edition: visit only the rules the finding speaks to (through the
 * index of rules by observation fact), evaluate each three-valued, then explain the few that
 * matched or stayed open. The hot path allocates nothing per rule.
 */
import { explain, TRUE, UNKNOWN, type FactMap } from '../compile/condition.js';
import { ruleInForce, type CompiledPack, type CompiledRule } from '../compile/compile-pack.js';
import type { Level } from '../pack/schema.js';
import { applyGaps } from './gaps.js';
import type { AssumptionUsed, Caveat, Match, Missing, PackRef } from './verdict.js';

export interface Judgement {
  level: Level;
  matches: Match[];
  missing: Missing[];
  assumptions: AssumptionUsed[];
  caveats: Caveat[];
}

/** Per-pack scratch space so that finding which rules a finding reaches allocates nothing. */
const stamps = new WeakMap<CompiledPack, { marks: Uint32Array; stamp: number }>();

export function judge(pack: CompiledPack, facts: FactMap, date: string): Judgement {
  let scratch = stamps.get(pack);
  if (!scratch) stamps.set(pack, (scratch = { marks: new Uint32Array(pack.rules.length), stamp: 0 }));
  const stamp = ++scratch.stamp;
  if (stamp === 0xffffffff) {
    scratch.marks.fill(0);
    scratch.stamp = 1;
  }
  const marks = scratch.marks;

  let matched: CompiledRule[] | undefined;
  let open: CompiledRule[] | undefined;
  let assumed: CompiledRule[] | undefined;
  for (const name in facts) {
    const rules = pack.rulesByFact.get(name);
    if (rules === undefined) continue;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (marks[rule.index] === scratch.stamp) continue;
      marks[rule.index] = scratch.stamp;
      if (rule.effectiveFrom !== undefined || rule.effectiveTo !== undefined) {
        if (!ruleInForce(rule, date)) continue;
      }
      const result = rule.evaluate(facts);
      if (result === TRUE) (matched ??= []).push(rule);
      else if (result === UNKNOWN) (open ??= []).push(rule);
      if (rule.assumptions.length > 0) (assumed ??= []).push(rule);
    }
  }

  // Report in pack order, whatever order the finding's facts came in.
  const byIndex = (a: CompiledRule, b: CompiledRule) => a.index - b.index;
  const matches = (matched ?? []).sort(byIndex).map((rule) => describeMatch(pack, rule, facts));
  const missing = (open ?? []).sort(byIndex).map<Missing>((rule) => ({
    rule: rule.id,
    clause: rule.source.clause,
    reason: 'fact-missing',
    facts: [...explain(rule.condition, facts, rule.readers).missing].sort(),
  }));
  const assumptions = (assumed ?? []).sort(byIndex).flatMap((rule) => assumptionsUsed(rule, facts));

  let level: Level = matches.length > 0 ? 'major' : missing.length > 0 ? 'undetermined' : 'general';
  const caveats: Caveat[] = [];
  if (level !== 'major' && pack.gaps.length > 0 && applyGaps(pack, facts, date, caveats, missing)) level = 'undetermined';
  return { level, matches, missing, assumptions, caveats };
}

function describeMatch(pack: CompiledPack, rule: CompiledRule, facts: FactMap): Match {
  const why = explain(rule.condition, facts, rule.readers);
  const decided: Record<string, unknown> = {};
  for (const name of [...why.decisive].sort()) {
    decided[name] = facts[name] ?? rule.assumptions.find((a) => a.fact === name)?.value;
  }
  const source = rule.source;
  return {
    rule: rule.id,
    clause: source.clause,
    text: source.text,
    text_en: source.text_en,
    instrument: source.instrument ?? pack.source.standard.document_number,
    unverified: source.unverified === true,
    facts: decided,
  };
}

/**
 * The declared defaults a rule actually relied on: the fact was missing, and either it decided
 * the rule's value or the rule stayed open anyway.
 */
function assumptionsUsed(rule: CompiledRule, facts: FactMap): AssumptionUsed[] {
  const used = rule.assumptions.filter((a) => facts[a.fact] === undefined);
  if (used.length === 0) return [];
  const why = explain(rule.condition, facts, rule.readers);
  return used
    .filter((a) => why.value === UNKNOWN || why.decisive.has(a.fact))
    .map((a) => ({ rule: rule.id, fact: a.fact, value: a.value, reason: a.reason, reason_en: a.reason_en }));
}

const packRefs = new WeakMap<CompiledPack, PackRef>();

/** The edition a verdict names; one frozen object per pack, shared by its verdicts. */
export function packRef(pack: CompiledPack): PackRef {
  let ref = packRefs.get(pack);
  if (!ref) packRefs.set(pack, (ref = Object.freeze(describePack(pack))));
  return ref;
}

function describePack(pack: CompiledPack): PackRef {
  return {
    id: pack.id,
    version: pack.version,
    hash: pack.hash,
    title: pack.source.title,
    document_number: pack.source.standard.document_number,
    effective_from: pack.effectiveFrom,
    ...(pack.effectiveTo ? { effective_to: pack.effectiveTo } : {}),
  };
}
