/**
 * Findings for the bench, generated deterministically from a pack's vocabulary with a realistic
 * mix: an inspector records the facts of one clause (sometimes a few of another), mostly
 * compliant, sometimes missing one. The mix is steered by classifying candidates: ~80 % general,
 * ~12 % major, ~8 % undetermined.
 */
import type { Engine } from '../src/classify/engine.js';
import type { CompiledPack } from '../src/compile/compile-pack.js';
import type { Fact } from '../src/pack/schema.js';
import { thresholds } from '../src/testing/arbitraries.js';
import { pick, rng } from './random.js';

export interface BenchFinding {
  id: number;
  standard: string;
  observed_at: string;
  facts: Record<string, unknown>;
}

const MIX = { general: 0.8, major: 0.12, undetermined: 0.08 } as const;

function value(fact: Fact, near: readonly unknown[] | undefined, random: () => number): unknown {
  const numbers = (near ?? []).filter((v): v is number => typeof v === 'number');
  switch (fact.type) {
    case 'boolean':
      return random() < 0.5;
    case 'integer':
      return numbers.length > 0 ? Math.max(0, Math.round(pick(random, numbers) + pick(random, [-1, 0, 1, 2, -2]))) : Math.floor(random() * 20);
    case 'number':
      return numbers.length > 0 ? Math.max(0, pick(random, numbers) * pick(random, [0.5, 0.9, 1, 1.01, 1.1, 2])) : Math.round(random() * 1000) / 10;
    case 'enum':
      return pick(random, fact.values ?? []);
    case 'set':
      return (fact.values ?? []).filter(() => random() < 0.15);
    case 'string':
      return 'x';
    case 'date':
      return '2026-01-01';
  }
}

export function generateFindings(engine: Engine, pack: CompiledPack, count: number, seed = 20261123): BenchFinding[] {
  const random = rng(seed);
  const near = thresholds(pack);
  const quota = { general: count * MIX.general, major: count * MIX.major, undetermined: count * MIX.undetermined };
  const findings: BenchFinding[] = [];
  const date = pack.effectiveFrom > '2026-01-01' ? pack.effectiveFrom : '2026-06-01';
  let attempts = 0;
  while (findings.length < count && attempts++ < count * 200) {
    const rule = pick(random, pack.rules);
    const names = new Set<string>();
    for (const r of [rule.source.when, rule.source.applies_when, rule.source.unless]) if (r) collect(r, names);
    const facts: Record<string, unknown> = {};
    for (const name of names) {
      const fact = pack.source.facts[name];
      if (fact) facts[name] = value(fact, near.get(name), random);
    }
    // Sometimes the inspector did not record one of the clause's facts.
    const recorded = Object.keys(facts);
    if (recorded.length > 1 && random() < 0.3) delete facts[pick(random, recorded)];
    const verdict = engine.classify({ standard: pack.standard, pack: pack.id, observed_at: date, facts });
    if (findings.length + 1 < count && quota[verdict.level] <= 0) continue;
    quota[verdict.level]--;
    findings.push({ id: findings.length, standard: pack.standard, observed_at: date, facts });
  }
  return findings;
}

function collect(condition: unknown, into: Set<string>): void {
  const c = condition as Record<string, unknown>;
  if (Array.isArray(c.all)) c.all.forEach((x) => collect(x, into));
  else if (Array.isArray(c.any)) c.any.forEach((x) => collect(x, into));
  else if (c.not) collect(c.not, into);
  else {
    // Tables are computed: record their inputs, not the table names (the engine refuses those).
    into.add(String(c.fact));
    const v = c.value as { fact?: string } | undefined;
    if (v && typeof v === 'object' && !Array.isArray(v) && v.fact) into.add(v.fact);
  }
}

export function mixOf(engine: Engine, findings: readonly BenchFinding[]): Record<string, number> {
  const mix: Record<string, number> = { major: 0, general: 0, undetermined: 0 };
  for (const f of findings) mix[engine.classify(f).level]!++;
  return mix;
}
