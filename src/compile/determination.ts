/**
 * A pack's site-level determination, compiled with the pack: the element rules each part
 * selects, and its gate, exemption and branch conditions as closures.
 */
import type { Determination, ElementSelector } from '../pack/schema.js';
import { compileCondition, type Evaluate, type ReaderFactory } from './condition.js';
import type { CompiledRule } from './compile-pack.js';

export interface CompiledDetermination {
  readonly source: Determination;
  readonly countsWhen?: Evaluate;
  readonly exemptions: ReadonlyArray<{ id: string; when: Evaluate; source: NonNullable<Determination['exemptions']>[number] }>;
  readonly direct: readonly CompiledRule[];
  readonly branches: ReadonlyArray<{ source: NonNullable<Determination['comprehensive']>[number]; appliesWhen?: Evaluate; elements: readonly CompiledRule[] }>;
  /** Every element any part of the determination reads, in pack order. */
  readonly elements: readonly CompiledRule[];
}

export function compileDetermination(
  d: Determination,
  rules: readonly CompiledRule[],
  ruleById: ReadonlyMap<string, CompiledRule>,
  readers: ReaderFactory,
): CompiledDetermination {
  // Validation guarantees every listed element is a rule of the pack.
  const select = (selector: ElementSelector): CompiledRule[] =>
    Array.isArray(selector) ? [...new Set(selector)].map((id) => ruleById.get(id)!) : rules.filter((r) => r.source.group === selector.group);
  const direct = d.direct ? select(d.direct.elements) : [];
  const branches = (d.comprehensive ?? []).map((b) => ({
    source: b,
    appliesWhen: b.applies_when && compileCondition(b.applies_when, readers),
    elements: select(b.elements),
  }));
  const all = new Set([...direct, ...branches.flatMap((b) => b.elements)]);
  return {
    source: d,
    countsWhen: d.counts_when && compileCondition(d.counts_when.when, readers),
    exemptions: (d.exemptions ?? []).map((e) => ({ id: e.id, when: compileCondition(e.when, readers), source: e })),
    direct,
    branches,
    elements: [...all].sort((a, b) => a.index - b.index),
  };
}
