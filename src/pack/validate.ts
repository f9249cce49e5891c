/**
 * Validate: loaded data → a typed `Pack`, or diagnostics. First the structure (JSON Schema),
 * then the meaning: every fact a condition reads is declared, every operator fits its fact,
 * every enum value exists, ids are unique, dates lie inside the edition, tables neither overlap
 * nor leave gaps, defaults and elements are declared. All problems are reported at once; the
 * semantic checks tolerate parts the schema already rejected, so one typo does not hide another.
 */
import { closest, diagnostic, hasErrors, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import type { Locator, PathSegment } from './load.js';
import { parseRange, seam, type Range } from './ranges.js';
import { checkSchema } from './schema-check.js';
import { DATE_OPERATIONS, DERIVED_OPERATIONS, OBSERVED_AT, OPERATORS, UNVERIFIED_PROVENANCES } from './format.js';
import type { Fact, Pack } from './schema.js';
import { describeType, isMemberValue, isNumeric, LIST_OPERATORS, OPERATORS_BY_TYPE } from './types.js';

export interface ValidationResult {
  /** The pack, when there is no error (warnings allowed). */
  pack?: Pack;
  diagnostics: Diagnostic[];
}

/** Names that would shadow Object.prototype members if ever used as plain-object keys. */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), OBSERVED_AT]);
/** Conditions deeper than this are refused (no real clause nests beyond a handful of levels). */
export const MAX_CONDITION_DEPTH = 32;
/** A table limit is compared, never tested for equality: outside its rows there is no limit. */
const KNOWN_OPERATORS: ReadonlySet<string> = new Set(OPERATORS);
const TABLE_OPERATORS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const entries = (v: unknown): Array<[string, unknown]> => (isObj(v) ? Object.entries(v) : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function validatePackData(data: unknown, file: string, locate: Locator): ValidationResult {
  const diagnostics = checkSchema(data, file, locate);
  if (!isObj(data)) return { diagnostics };
  new SemanticCheck(data, file, locate, diagnostics).run();
  return hasErrors(diagnostics) ? { diagnostics } : { pack: data as unknown as Pack, diagnostics };
}

/** Declared type information of a name a condition may read: a fact, a table's limit, a derived fact. */
interface Readable {
  fact: Pick<Fact, 'type' | 'values' | 'kind'>;
  isTable: boolean;
  /** The names a table or derived fact is computed from (observed_at excluded). */
  from?: string[];
}

class SemanticCheck {
  private readonly readable = new Map<string, Readable>();
  private readonly ruleIds = new Set<string>();
  private readonly groups = new Map<string, number>();

  constructor(
    private readonly pack: Obj,
    private readonly file: string,
    private readonly locate: Locator,
    private readonly out: Diagnostic[],
  ) {}

  run(): void {
    this.checkFacts();
    this.declareDerived();
    this.checkTables();
    this.checkDerived();
    this.checkPeriod();
    this.checkDefaults();
    this.checkRules();
    this.checkGaps();
    this.checkDetermination();
  }

  private report(code: DiagnosticCode, args: Record<string, string | number>, path: PathSegment[], part: 'key' | 'value' = 'value'): void {
    this.out.push(diagnostic(code, args, { file: this.file, path: '/' + path.join('/'), ...this.locate(path, part) }));
  }

  private checkFacts(): void {
    for (const [name, fact] of entries(this.pack.facts)) {
      if (RESERVED_NAMES.has(name)) this.report('reserved-name', { name }, ['facts', name], 'key');
      if (!isObj(fact) || typeof fact.type !== 'string') continue;
      const type = fact.type as Fact['type'];
      const needsValues = type === 'enum' || type === 'set';
      if (needsValues && !Array.isArray(fact.values)) this.report('enum-without-values', { fact: name, type }, ['facts', name]);
      if (!needsValues && fact.values !== undefined) this.report('values-not-allowed', { fact: name, type }, ['facts', name, 'values']);
      if (OPERATORS_BY_TYPE[type]) {
        this.readable.set(name, { fact: { type, values: list(fact.values) as string[], kind: fact.kind as Fact['kind'] }, isTable: false });
      }
      this.checkBounds(name, fact);
    }
  }

  private checkBounds(name: string, fact: Obj): void {
    const { min, max } = fact;
    if (min === undefined && max === undefined) return;
    const at = ['facts', name, min !== undefined ? 'min' : 'max'];
    if (!isNumeric(fact.type as Fact['type'])) this.report('fact-bounds-invalid', { fact: name, detail: `min/max only for number and integer facts, not ${String(fact.type)}` }, at, 'key');
    else if (typeof min === 'number' && typeof max === 'number' && min > max) this.report('fact-bounds-invalid', { fact: name, detail: `min ${min} > max ${max}` }, ['facts', name, 'max']);
  }

  /** Derived facts read like number facts; declared first so tables and conditions may use them. */
  private declareDerived(): void {
    for (const [name, entry] of entries(this.pack.derived)) {
      if (RESERVED_NAMES.has(name)) this.report('reserved-name', { name }, ['derived', name], 'key');
      if (this.readable.has(name) || isObj(this.pack.tables) && name in this.pack.tables) this.report('duplicate-id', { id: name }, ['derived', name], 'key');
      if (!isObj(entry)) continue;
      const operation = DERIVED_OPERATIONS.filter((op) => entry[op] !== undefined);
      const from = operation.length === 1 ? list(entry[operation[0]!]).filter((o): o is string => typeof o === 'string' && o !== OBSERVED_AT) : [];
      // Its kind is settled in checkDerived, once its inputs are known.
      this.readable.set(name, { fact: { type: 'number', values: [], kind: 'context' }, isTable: false, from });
    }
  }

  private checkDerived(): void {
    const derived = entries(this.pack.derived).filter(([, e]) => isObj(e)) as Array<[string, Obj]>;
    for (const [name, entry] of derived) {
      const operations = DERIVED_OPERATIONS.filter((op) => entry[op] !== undefined);
      if (operations.length !== 1) {
        this.report('derived-operation', { fact: name, operations: DERIVED_OPERATIONS.join(', '), count: operations.length }, ['derived', name], 'key');
        continue;
      }
      const operation = operations[0]!;
      const dates = DATE_OPERATIONS.has(operation);
      list(entry[operation]).forEach((operand, i) => {
        const at: PathSegment[] = ['derived', name, operation, i];
        if (typeof operand === 'number') {
          if (dates) this.report('derived-operand-type', { fact: name, operation, operand: String(operand), expected: 'a date fact or observed_at' }, at);
          return;
        }
        if (typeof operand !== 'string') return;
        if (operand === OBSERVED_AT) {
          if (!dates) this.report('derived-operand-type', { fact: name, operation, operand, expected: 'a number fact, table, derived fact or number' }, at);
          return;
        }
        const readable = this.readable.get(operand);
        if (!readable) return this.unknownFact(operand, at);
        const fits = dates ? readable.fact.type === 'date' : isNumeric(readable.fact.type);
        if (!fits) this.report('derived-operand-type', { fact: name, operation, operand, expected: dates ? 'a date fact or observed_at' : 'a number fact, table, derived fact or number' }, at);
      });
    }
    // Cycles, and each derived fact's kind: observation as soon as one recorded input is.
    const state = new Map<string, 'visiting' | 'done'>();
    const kindOf = (name: string, trail: string[]): Fact['kind'] => {
      const readable = this.readable.get(name);
      if (!readable?.from) return readable?.fact.kind ?? 'context';
      if (state.get(name) === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(name)), name].join(' → ');
        this.report('derived-cycle', { cycle }, [readable.isTable ? 'tables' : 'derived', name], 'key');
        return 'context';
      }
      if (state.get(name) === 'done') return readable.fact.kind;
      state.set(name, 'visiting');
      let kind: Fact['kind'] = 'context';
      for (const input of readable.from) if (kindOf(input, [...trail, name]) === 'observation') kind = 'observation';
      state.set(name, 'done');
      readable.fact.kind = kind;
      return kind;
    };
    for (const [name] of derived) kindOf(name, []);
  }

  private checkTables(): void {
    for (const [name, table] of entries(this.pack.tables)) {
      if (RESERVED_NAMES.has(name)) this.report('reserved-name', { name }, ['tables', name], 'key');
      if (this.readable.has(name)) this.report('duplicate-id', { id: name }, ['tables', name], 'key');
      if (!isObj(table)) continue;
      const input = this.readable.get(String(table.input));
      if (typeof table.input === 'string') {
        if (!input) this.unknownFact(String(table.input), ['tables', name, 'input']);
        else if (!isNumeric(input.fact.type)) this.report('table-input-not-number', { fact: String(table.input) }, ['tables', name, 'input']);
      }
      let previous: { range: Range; printed: string } | undefined;
      list(table.rows).forEach((row, i) => {
        if (!isObj(row) || typeof row.range !== 'string') return;
        const range = parseRange(row.range);
        if (!range) {
          this.report('table-bad-range', { range: row.range }, ['tables', name, 'rows', i, 'range']);
          previous = undefined;
          return;
        }
        if (previous) {
          const kind = seam(previous.range, range);
          if (kind !== 'adjacent') {
            this.report(kind === 'gap' ? 'table-gap' : 'table-overlap', { range: row.range, previous: previous.printed }, ['tables', name, 'rows', i, 'range']);
          }
        }
        previous = { range, printed: row.range };
      });
      // A table's limit reads like a number fact of the same name; its kind follows its input.
      this.readable.set(name, { fact: { type: 'number', values: [], kind: input?.fact.kind ?? 'observation' }, isTable: true, from: typeof table.input === 'string' ? [table.input] : [] });
    }
  }

  private checkPeriod(): void {
    const standard = isObj(this.pack.standard) ? this.pack.standard : {};
    const from = standard.effective_from;
    const to = standard.effective_to;
    if (typeof from === 'string' && typeof to === 'string' && to <= from) {
      this.report('pack-period-invalid', { from, to }, ['standard', 'effective_to']);
    }
  }

  /** Checks that a dated item (rule, gap) lies inside the edition's period. */
  private checkDated(item: Obj, code: 'rule-dated-outside-pack' | 'gap-dated-outside-pack', path: PathSegment[]): void {
    const standard = isObj(this.pack.standard) ? this.pack.standard : {};
    const packFrom = typeof standard.effective_from === 'string' ? standard.effective_from : undefined;
    const packTo = typeof standard.effective_to === 'string' ? standard.effective_to : undefined;
    const period = `${packFrom ?? '…'} – ${packTo ?? '…'}`;
    const id = String(item.id);
    for (const key of ['effective_from', 'effective_to'] as const) {
      const date = item[key];
      if (typeof date !== 'string') continue;
      const before = packFrom !== undefined && (key === 'effective_from' ? date < packFrom : date <= packFrom);
      const after = packTo !== undefined && (key === 'effective_from' ? date >= packTo : date > packTo);
      if (before || after) this.report(code, { id, date, period }, [...path, key]);
    }
    if (typeof item.effective_from === 'string' && typeof item.effective_to === 'string' && item.effective_to <= item.effective_from) {
      this.report('pack-period-invalid', { from: item.effective_from, to: item.effective_to }, [...path, 'effective_to']);
    }
  }

  private checkDefaults(): void {
    for (const [name, declared] of entries(this.pack.defaults)) {
      const readable = this.readable.get(name);
      if (!readable || readable.isTable) {
        this.unknownFact(name, ['defaults', name], 'key');
        continue;
      }
      if (!isObj(declared) || !('value' in declared)) continue;
      const value = declared.value;
      const fits =
        readable.fact.type === 'set'
          ? Array.isArray(value) && value.every((v) => isMemberValue(readable.fact, v))
          : isMemberValue(readable.fact, value) && this.withinBounds(name, value);
      if (!fits) this.report('default-type-mismatch', { fact: name, expected: describeType(readable.fact) }, ['defaults', name, 'value']);
    }
  }

  private withinBounds(name: string, value: unknown): boolean {
    const fact = isObj(this.pack.facts) ? (this.pack.facts as Obj)[name] : undefined;
    if (!isObj(fact) || typeof value !== 'number') return true;
    return !(typeof fact.min === 'number' && value < fact.min) && !(typeof fact.max === 'number' && value > fact.max);
  }

  private checkRules(): void {
    const defaults = new Set(entries(this.pack.defaults).map(([name]) => name));
    const assumed = new Set<string>();
    const clauses = new Map<string, string>();
    list(this.pack.rules).forEach((rule, i) => {
      if (!isObj(rule)) return;
      const path: PathSegment[] = ['rules', i];
      const id = String(rule.id);
      if (this.ruleIds.has(id)) this.report('duplicate-rule-id', { id }, [...path, 'id']);
      this.ruleIds.add(id);
      if (typeof rule.clause === 'string') {
        const other = clauses.get(rule.clause);
        if (other !== undefined && other !== id) this.report('duplicate-clause', { id, other, clause: rule.clause }, [...path, 'clause']);
        else clauses.set(rule.clause, id);
      }
      if (typeof rule.provenance === 'string' && UNVERIFIED_PROVENANCES.has(rule.provenance) && rule.unverified !== true) {
        this.report('provenance-needs-unverified', { id, provenance: rule.provenance }, [...path, 'provenance']);
      }
      if (typeof rule.group === 'string') this.groups.set(rule.group, (this.groups.get(rule.group) ?? 0) + 1);
      this.checkDated(rule, 'rule-dated-outside-pack', path);

      const observed = new Set<string>();
      for (const key of ['applies_when', 'when', 'unless'] as const) {
        if (rule[key] !== undefined) this.checkCondition(rule[key], [...path, key], key === 'applies_when' ? undefined : observed);
      }
      if (isObj(rule.when) && observed.size === 0 && this.allFactsKnown(rule)) {
        this.report('rule-without-observation', { id }, [...path, 'when']);
      }
      list(rule.assume).forEach((fact, j) => {
        assumed.add(String(fact));
        if (!this.readable.has(String(fact))) this.unknownFact(String(fact), [...path, 'assume', j]);
        else if (!defaults.has(String(fact))) this.report('undeclared-default', { id, fact: String(fact) }, [...path, 'assume', j]);
      });

      const examples = list(rule.examples).filter(isObj);
      if (Array.isArray(rule.examples)) {
        if (!examples.some((e) => e.expect === 'major')) this.report('missing-major-example', { id }, [...path, 'examples'], 'key');
        if (!examples.some((e) => e.expect === 'general' || e.expect === 'undetermined')) {
          this.report('missing-non-major-example', { id }, [...path, 'examples'], 'key');
        }
      }
    });
    for (const name of defaults) {
      if (!assumed.has(name) && this.readable.has(name)) this.report('unused-default', { fact: name }, ['defaults', name], 'key');
    }
  }

  private allFactsKnown(rule: Obj): boolean {
    const names: string[] = [];
    walkLeaves(rule.when, (leaf) => names.push(String(leaf.fact)));
    return names.length > 0 && names.every((n) => this.readable.has(n));
  }

  private checkGaps(): void {
    const ids = new Set<string>();
    list(this.pack.gaps).forEach((gap, i) => {
      if (!isObj(gap)) return;
      if (ids.has(String(gap.id))) this.report('duplicate-id', { id: String(gap.id) }, ['gaps', i, 'id']);
      ids.add(String(gap.id));
      this.checkDated(gap, 'gap-dated-outside-pack', ['gaps', i]);
      if (gap.scope !== undefined) this.checkCondition(gap.scope, ['gaps', i, 'scope']);
    });
  }

  private checkDetermination(): void {
    const d = this.pack.determination;
    if (!isObj(d)) return;
    if (isObj(d.counts_when)) this.checkCondition(d.counts_when.when, ['determination', 'counts_when', 'when']);
    const ids = new Set<string>();
    const unique = (id: unknown, path: PathSegment[]) => {
      if (ids.has(String(id))) this.report('duplicate-id', { id: String(id) }, path);
      ids.add(String(id));
    };
    list(d.exemptions).forEach((e, i) => {
      if (!isObj(e)) return;
      unique(e.id, ['determination', 'exemptions', i, 'id']);
      this.checkCondition(e.when, ['determination', 'exemptions', i, 'when']);
    });
    if (isObj(d.direct)) this.checkElements(d.direct.elements, ['determination', 'direct', 'elements']);
    list(d.comprehensive).forEach((branch, i) => {
      if (!isObj(branch)) return;
      const path: PathSegment[] = ['determination', 'comprehensive', i];
      unique(branch.id, [...path, 'id']);
      if (branch.applies_when !== undefined) this.checkCondition(branch.applies_when, [...path, 'applies_when']);
      const size = this.checkElements(branch.elements, [...path, 'elements']);
      if (typeof branch.at_least === 'number' && size !== undefined && branch.at_least > size) {
        this.report('threshold-unreachable', { at_least: branch.at_least, count: size }, [...path, 'at_least']);
      }
    });
  }

  /** Checks an element selector; returns how many elements it selects when it can tell. */
  private checkElements(selector: unknown, path: PathSegment[]): number | undefined {
    if (Array.isArray(selector)) {
      selector.forEach((element, i) => {
        if (!this.ruleIds.has(String(element))) this.report('unknown-element', { element: String(element) }, [...path, i]);
      });
      return new Set(selector.map(String)).size;
    }
    if (isObj(selector) && typeof selector.group === 'string') {
      const count = this.groups.get(selector.group) ?? 0;
      if (count === 0) this.report('empty-element-group', { group: selector.group }, [...path, 'group']);
      return count;
    }
    return undefined;
  }

  private unknownFact(name: string, path: PathSegment[], part: 'key' | 'value' = 'value'): void {
    this.report('unknown-fact', { fact: name, hint: closest(name, this.readable.keys()) ?? '' }, path, part);
  }

  /**
   * Checks every leaf of a condition. `observed` collects the observation facts it reads (for
   * applicability); pass undefined for scope conditions, which do not make a rule applicable.
   */
  private checkCondition(condition: unknown, path: PathSegment[], observed?: Set<string>): void {
    const stack: Array<[unknown, PathSegment[], number]> = [[condition, path, 1]];
    while (stack.length > 0) {
      const [node, at, depth] = stack.pop()!;
      if (!isObj(node)) continue;
      if (depth > MAX_CONDITION_DEPTH) {
        this.report('nesting-too-deep', { limit: MAX_CONDITION_DEPTH }, at);
        continue;
      }
      if (Array.isArray(node.all)) node.all.forEach((c, i) => stack.push([c, [...at, 'all', i], depth + 1]));
      else if (Array.isArray(node.any)) node.any.forEach((c, i) => stack.push([c, [...at, 'any', i], depth + 1]));
      else if (isObj(node.not)) stack.push([node.not, [...at, 'not'], depth + 1]);
      else if (typeof node.fact === 'string') this.checkLeaf(node, at, observed);
    }
  }

  private checkLeaf(leaf: Obj, at: PathSegment[], observed?: Set<string>): void {
    const name = String(leaf.fact);
    const readable = this.readable.get(name);
    if (!readable) {
      this.unknownFact(name, [...at, 'fact']);
      return;
    }
    this.noteObserved(name, observed);
    const { fact } = readable;
    const operator = leaf.operator;
    const allowed = OPERATORS_BY_TYPE[fact.type];
    // An operator the format does not know is reported once, by the structure check.
    if (typeof operator !== 'string' || !KNOWN_OPERATORS.has(operator)) return;
    const value = leaf.value;
    const readsTable = readable.isTable || (isObj(value) && this.readable.get(String(value.fact))?.isTable === true);
    const fits = readsTable ? TABLE_OPERATORS : allowed;
    if (!fits.includes(operator as never)) {
      const type = readsTable ? 'table limit' : fact.type;
      this.report('operator-type-mismatch', { operator, fact: name, type, allowed: fits.join(', ') }, [...at, 'operator']);
      return;
    }
    if (isObj(value) && typeof value.fact === 'string') {
      const other = this.readable.get(value.fact);
      if (!other) {
        this.unknownFact(value.fact, [...at, 'value', 'fact']);
        return;
      }
      this.noteObserved(value.fact, observed);
      const compatible =
        !LIST_OPERATORS.has(operator as never) &&
        fact.type !== 'set' &&
        (isNumeric(fact.type) ? isNumeric(other.fact.type) : fact.type === other.fact.type);
      if (!compatible) this.report('value-type-mismatch', { fact: name, expected: describeType(fact) }, [...at, 'value']);
      return;
    }
    if (LIST_OPERATORS.has(operator as never)) {
      if (!Array.isArray(value)) {
        this.report('value-type-mismatch', { fact: name, expected: `a list of ${describeType(fact)}` }, [...at, 'value']);
        return;
      }
      value.forEach((v, i) => this.checkValue(fact, name, v, [...at, 'value', i]));
      return;
    }
    this.checkValue(fact, name, value, [...at, 'value']);
  }

  private checkValue(fact: Readable['fact'], name: string, value: unknown, at: PathSegment[]): void {
    if (isMemberValue(fact, value)) return;
    if ((fact.type === 'enum' || fact.type === 'set') && typeof value === 'string') {
      this.report('enum-value-undeclared', { value, fact: name, allowed: (fact.values ?? []).join(', ') }, at);
    } else {
      this.report('value-type-mismatch', { fact: name, expected: describeType(fact) }, at);
    }
  }

  /** A table read counts as reading its input fact. */
  private noteObserved(name: string, observed?: Set<string>): void {
    if (!observed) return;
    const readable = this.readable.get(name);
    if (readable?.from) {
      // A table or derived fact counts as reading what it is computed from (cycles refused elsewhere).
      if (observed.has(`\u0000${name}`)) return;
      observed.add(`\u0000${name}`);
      for (const input of readable.from) this.noteObserved(input, observed);
      observed.delete(`\u0000${name}`);
      return;
    }
    if (readable?.fact.kind === 'observation') observed.add(name);
  }
}

function walkLeaves(condition: unknown, visit: (leaf: Obj) => void): void {
  const stack = [condition];
  let budget = 10_000;
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop();
    if (!isObj(node)) continue;
    if (Array.isArray(node.all)) stack.push(...node.all);
    else if (Array.isArray(node.any)) stack.push(...node.any);
    else if (node.not !== undefined) stack.push(node.not);
    else if (typeof node.fact === 'string') visit(node);
  }
}
