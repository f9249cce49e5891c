/**
 * json-rules-engine interop. A pack's conditions are already json-rules-engine's syntax, so the
 * export is direct: one json-rules-engine rule per clause (applies_when ∧ when ∧ ¬unless), its
 * event naming the clause, and limit tables as computed facts of the same name.
 *
 * json-rules-engine is also our reference backend: on every complete input the compiled engine
 * and json-rules-engine must agree (test/interop, test/properties).
 */
import type { Engine, RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { jsonRulesEngine } from '../lazy.js';
import { compilePack, ruleInForce, type CompiledPack } from '../compile/compile-pack.js';
import type { Pack } from '../pack/schema.js';

export interface JsonRulesEngineExport {
  /** json-rules-engine rule definitions (`new Engine(rules)` or `engine.addRule(rule)`). */
  rules: RuleProperties[];
  /** Computed facts to register with `engine.addFact(id, compute)`: the pack's limit tables. */
  facts: Array<{ id: string; input: string; compute: (input: number) => number | null }>;
}

export interface ExportOptions {
  /** Only the rules in force on this day (rules dated inside the edition). Default: every rule. */
  date?: string;
}

export function toJsonRulesEngine(pack: Pack | CompiledPack, options: ExportOptions = {}): JsonRulesEngineExport {
  const compiled = 'rulesByFact' in pack ? pack : compilePack(pack);
  const rules = compiled.rules
    .filter((rule) => options.date === undefined || ruleInForce(rule, options.date))
    .map<RuleProperties>((rule) => ({
      name: rule.id,
      // json-rules-engine wants all/any/not at the top.
      conditions: ('all' in rule.condition ? rule.condition : { all: [rule.condition] }) as TopLevelCondition,
      event: { type: 'major', params: { rule: rule.id, clause: rule.source.clause } },
    }));
  const facts = [...compiled.tables].map(([id, table]) => ({ id, input: table.input, compute: table.lookup }));
  return { rules, facts };
}

/** A ready json-rules-engine `Engine` running the pack (tables registered as computed facts). */
export function createJsonRulesEngine(pack: Pack | CompiledPack, options: ExportOptions = {}): Engine {
  const exported = toJsonRulesEngine(pack, options);
  const engine = new (jsonRulesEngine().Engine)(exported.rules, { allowUndefinedFacts: false });
  for (const fact of exported.facts) {
    engine.addFact(fact.id, async (_params, almanac) => fact.compute((await almanac.factValue(fact.input)) as number) ?? undefined);
  }
  return engine;
}

/** Runs json-rules-engine on a complete finding: the ids of the rules that fire, in pack order. */
export async function runJsonRulesEngine(engine: Engine, facts: Record<string, unknown>): Promise<string[]> {
  const { events } = await engine.run({ ...facts });
  return events.map((e) => String(e.params?.rule));
}
