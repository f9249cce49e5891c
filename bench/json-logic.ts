/**
 * The same conditions translated to JsonLogic and compiled by json-logic-engine (`build`), the
 * fastest JavaScript peer. Two-valued like JsonLogic itself: a missing var is null.
 */
import { LogicEngine } from 'json-logic-engine';
import type { CompiledPack } from '../src/compile/compile-pack.js';
import type { Condition } from '../src/pack/schema.js';

const OPS: Record<string, string> = {
  equal: '===',
  notEqual: '!==',
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
};

export function toJsonLogic(condition: Condition, tables: ReadonlySet<string>): unknown {
  if ('all' in condition) return { and: condition.all.map((c) => toJsonLogic(c, tables)) };
  if ('any' in condition) return { or: condition.any.map((c) => toJsonLogic(c, tables)) };
  if ('not' in condition) return { '!': toJsonLogic(condition.not, tables) };
  const read = (name: string) => ({ var: name });
  const a = read(condition.fact);
  const v = condition.value;
  const b = v !== null && typeof v === 'object' && !Array.isArray(v) ? read((v as { fact: string }).fact) : v;
  switch (condition.operator) {
    case 'in':
      return { in: [a, b] };
    case 'notIn':
      return { '!': { in: [a, b] } };
    case 'contains':
      return { in: [b, { if: [a, a, []] }] };
    case 'doesNotContain':
      return { '!': { in: [b, { if: [a, a, []] }] } };
    default:
      return { [OPS[condition.operator]!]: [a, b] };
  }
}

export function jsonLogicRunner(pack: CompiledPack): (facts: Record<string, unknown>) => { level: 'major' | 'general'; matches: string[] } {
  const engine = new LogicEngine();
  const tables = new Set(pack.tables.keys());
  const rules = pack.rules.map((r) => ({ id: r.id, test: engine.build(toJsonLogic(r.condition, tables) as never) as (data: unknown) => unknown }));
  return (facts) => {
    const matches: string[] = [];
    for (const rule of rules) if (rule.test(facts)) matches.push(rule.id);
    return { level: matches.length > 0 ? 'major' : 'general', matches };
  };
}
