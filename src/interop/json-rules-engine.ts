/**
 * json-rules-engine interop. A pack's conditions are already json-rules-engine's syntax, so the
 * export is direct: one json-rules-engine rule per clause (applies_when ∧ when ∧ ¬unless), its
 * event naming the clause, and limit tables and derived facts as computed facts of the same name
 * (a derived fact over `observed_at` reads the run's `observed_at` fact).
 *
 * json-rules-engine is also our reference backend: on every complete input the compiled engine
 * and json-rules-engine must agree (test/interop, test/properties).
 */
import type { Engine, RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { jsonRulesEngine } from '../lazy.js';
import { compilePack, ruleInForce, type CompiledPack } from '../compile/compile-pack.js';
import { OBSERVED_AT } from '../pack/format.js';
import type { Pack } from '../pack/schema.js';

export interface JsonRulesEngineExport {
  /** json-rules-engine rule definitions (`new Engine(rules)` or `engine.addRule(rule)`). */
  rules: RuleProperties[];
  /**
   * Computed facts to register with `engine.addFact`: the pack's limit tables and derived facts.
   * `compute` takes the values of `inputs` (the recorded facts it reads) and the day judged on.
   */
  facts: Array<{ id: string; inputs: readonly string[]; compute: (values: Record<string, unknown>, date: string) => unknown }>;
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
  const facts = [
    ...[...compiled.tables].map(([id, table]) => ({ id, inputs: compiled.readers.inputsOf(id), compute: table.reader })),
    ...[...compiled.derived].map(([id, derived]) => ({ id, inputs: derived.inputs, compute: derived.reader })),
  ];
  return { rules, facts };
}

/** A ready json-rules-engine `Engine` running the pack (tables registered as computed facts). */
export function createJsonRulesEngine(pack: Pack | CompiledPack, options: ExportOptions = {}): Engine {
  const exported = toJsonRulesEngine(pack, options);
  const engine = new (jsonRulesEngine().Engine)(exported.rules, { allowUndefinedFacts: false });
  for (const fact of exported.facts) {
    engine.addFact(fact.id, async (_params, almanac) => {
      const values: Record<string, unknown> = {};
      for (const input of fact.inputs) values[input] = await almanac.factValue(input);
      const date = (await almanac.factValue(OBSERVED_AT).catch(() => undefined)) as string;
      // No value (a table outside its rows, 0 ÷ 0) is undefined to json-rules-engine: comparisons are false.
      return fact.compute(values, date) ?? undefined;
    });
  }
  return engine;
}

/**
 * Runs json-rules-engine on a complete finding: the ids of the rules that fire, in pack order.
 * `date` (the finding's observed_at) is given to derived facts that count up to it.
 */
export async function runJsonRulesEngine(engine: Engine, facts: Record<string, unknown>, date?: string): Promise<string[]> {
  const { events } = await engine.run({ ...facts, ...(date !== undefined ? { [OBSERVED_AT]: date } : {}) });
  return events.map((e) => String(e.params?.rule));
}
