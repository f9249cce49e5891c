/**
 * Grading schemes: YAML → data with positions (the pack loader, with its guards against hostile
 * input) → structure (ajv against the scheme's JSON Schema) → meaning (every name a condition
 * reads is a declared fact or measure, operators fit, letters are on the scale, every letter has
 * an inspection frequency) → the scheme's own examples → a compiled scheme. Diagnostics as for
 * packs: file:line:col, a stable code, Chinese and English.
 */
import { contentHash } from '../compile/compile-pack.js';
import { diagnostic, hasErrors, closest, type Diagnostic, type DiagnosticCode } from '../pack/diagnostics.js';
import { loadPackData, loadPackFile, parsePackText, type LoadedSource, type Locator, type PathSegment } from '../pack/load.js';
import { checkSchema } from '../pack/schema-check.js';
import { describeType, isMemberValue, LIST_OPERATORS, OPERATORS_BY_TYPE } from '../pack/types.js';
import { OPERATORS } from '../pack/format.js';
import { PackError } from '../errors.js';
import type { PackSource } from '../pipeline.js';
import { compileScheme, type CompiledScheme } from './grade.js';
import { schemeJsonSchema, type GradingScheme } from './scheme.js';

export interface SchemeValidation {
  scheme?: GradingScheme;
  diagnostics: Diagnostic[];
  file: string;
  examples?: Array<{ index: number; name?: string; expected: string; actual: string; ok: boolean }>;
}

/** Runs a scheme's examples; set by the grading module (which needs the engine) to avoid a cycle. */
let exampleRunner: ((scheme: CompiledScheme, example: GradingScheme['examples'][number]) => string) | undefined;
export function setSchemeExampleRunner(run: typeof exampleRunner): void {
  exampleRunner = run;
}

function read(source: PackSource): LoadedSource {
  if (typeof source === 'string') return loadPackFile(source);
  if ('text' in source) return parsePackText(source.text, source.file ?? '<input>');
  return loadPackData(source.data, source.file ?? '<data>');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const entries = (v: unknown): Array<[string, unknown]> => (isObj(v) ? Object.entries(v) : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const KNOWN_OPERATORS: ReadonlySet<string> = new Set(OPERATORS);

export function validateScheme(source: PackSource): SchemeValidation & { compiled?: CompiledScheme } {
  const loaded = read(source);
  const file = loaded.file;
  const diagnostics = [...loaded.diagnostics];
  if (loaded.data === undefined || hasErrors(diagnostics)) return { diagnostics, file };
  diagnostics.push(...checkSchema(loaded.data, file, loaded.locate, schemeJsonSchema));
  if (isObj(loaded.data)) checkMeaning(loaded.data, file, loaded.locate, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics, file };
  const scheme = loaded.data as unknown as GradingScheme;
  const compiled = compileScheme(scheme, contentHash(scheme), file);
  const examples: NonNullable<SchemeValidation['examples']> = [];
  scheme.examples.forEach((example, index) => {
    let actual: string;
    let detail = '';
    try {
      actual = exampleRunner ? exampleRunner(compiled, example) : 'error';
    } catch (error) {
      actual = 'error';
      detail = (error as Error).message;
    }
    const ok = actual === example.expect;
    examples.push({ index, ...(example.name ? { name: example.name } : {}), expected: example.expect, actual, ok });
    if (!ok) {
      const path = ['examples', index, 'expect'];
      diagnostics.push(diagnostic('scheme-example-mismatch', { expected: example.expect, actual, detail }, { file, path: '/' + path.join('/'), ...loaded.locate(path) }));
    }
  });
  const ok = !hasErrors(diagnostics);
  return { ...(ok ? { scheme, compiled } : {}), diagnostics, file, examples };
}

/** A validated, compiled scheme; throws `PackError` with every diagnostic otherwise. */
export function loadScheme(source: PackSource): CompiledScheme {
  const result = validateScheme(source);
  if (!result.compiled) throw new PackError(result.file, result.diagnostics);
  return result.compiled;
}

function checkMeaning(data: Obj, file: string, locate: Locator, out: Diagnostic[]): void {
  const report = (code: DiagnosticCode, args: Record<string, string | number>, path: PathSegment[], part: 'key' | 'value' = 'value') =>
    out.push(diagnostic(code, args, { file, path: '/' + path.join('/'), ...locate(path, part) }));
  const letters = list(data.scale).filter(isObj).map((e) => String(e.letter));
  const seen = new Set<string>();
  list(data.scale).forEach((e, i) => {
    if (!isObj(e)) return;
    if (seen.has(String(e.letter))) report('duplicate-id', { id: String(e.letter) }, ['scale', i, 'letter']);
    seen.add(String(e.letter));
  });
  const letter = (value: unknown, path: PathSegment[]) => {
    if (typeof value === 'string' && !letters.includes(value)) report('unknown-letter', { letter: value, allowed: letters.join(', ') }, path);
  };
  // Names a condition may read: declared facts, and measures (counts: integers).
  const readable = new Map<string, { type: string; values?: string[] }>();
  for (const [name, f] of entries(data.facts)) if (isObj(f)) readable.set(name, { type: String(f.type), values: list(f.values) as string[] });
  for (const [name] of entries(data.measures)) {
    if (readable.has(name)) report('duplicate-id', { id: name }, ['measures', name], 'key');
    readable.set(name, { type: 'integer' });
  }
  const condition = (node: unknown, path: PathSegment[]) => {
    const stack: Array<[unknown, PathSegment[]]> = [[node, path]];
    while (stack.length > 0) {
      const [c, at] = stack.pop()!;
      if (!isObj(c)) continue;
      if (Array.isArray(c.all)) c.all.forEach((x, i) => stack.push([x, [...at, 'all', i]]));
      else if (Array.isArray(c.any)) c.any.forEach((x, i) => stack.push([x, [...at, 'any', i]]));
      else if (isObj(c.not)) stack.push([c.not, [...at, 'not']]);
      else if (typeof c.fact === 'string') {
        const name = c.fact;
        const fact = readable.get(name);
        if (!fact) {
          report('unknown-fact', { fact: c.fact, hint: closest(c.fact, readable.keys()) ?? '' }, [...at, 'fact']);
          continue;
        }
        const type = fact.type as keyof typeof OPERATORS_BY_TYPE;
        const op = String(c.operator);
        if (!KNOWN_OPERATORS.has(op)) continue;
        if (!OPERATORS_BY_TYPE[type]?.includes(op as never)) {
          report('operator-type-mismatch', { operator: op, fact: c.fact, type, allowed: (OPERATORS_BY_TYPE[type] ?? []).join(', ') }, [...at, 'operator']);
          continue;
        }
        const typed = { type, values: fact.values };
        const check = (v: unknown, p: PathSegment[]) => {
          if (isMemberValue(typed, v)) return;
          if ((type === 'enum' || type === 'set') && typeof v === 'string') report('enum-value-undeclared', { value: v, fact: name, allowed: (fact.values ?? []).join(', ') }, p);
          else report('value-type-mismatch', { fact: name, expected: describeType(typed) }, p);
        };
        if (isObj(c.value) && typeof c.value.fact === 'string') {
          if (!readable.has(c.value.fact)) report('unknown-fact', { fact: c.value.fact, hint: closest(c.value.fact, readable.keys()) ?? '' }, [...at, 'value', 'fact']);
        } else if (LIST_OPERATORS.has(op as never)) list(c.value).forEach((v, i) => check(v, [...at, 'value', i]));
        else check(c.value, [...at, 'value']);
      }
    }
  };
  const base = isObj(data.base) ? data.base : {};
  const partIds = new Set<string>();
  list(base.parts).forEach((p, i) => {
    if (!isObj(p)) return;
    partIds.add(String(p.id));
    list(p.cases).forEach((c, j) => {
      if (!isObj(c)) return;
      condition(c.when, ['base', 'parts', i, 'cases', j, 'when']);
      letter(c.letter, ['base', 'parts', i, 'cases', j, 'letter']);
    });
  });
  const ids = new Set<string>();
  for (const key of ['vetoes', 'modifiers'] as const) {
    list(data[key]).forEach((r, i) => {
      if (!isObj(r)) return;
      if (ids.has(String(r.id)) || partIds.has(String(r.id))) report('duplicate-id', { id: String(r.id) }, [key, i, 'id']);
      ids.add(String(r.id));
      condition(r.when, [key, i, 'when']);
      if (key === 'vetoes') letter(r.letter, [key, i, 'letter']);
      const effect = isObj(r.effect) ? r.effect : {};
      if (typeof effect.floor === 'string') letter(effect.floor, [key, i, 'effect', 'floor']);
      list(effect.then_floor).forEach((id, j) => {
        if (!partIds.has(String(id))) report('unknown-base-part', { part: String(id) }, [key, i, 'effect', 'then_floor', j]);
      });
    });
  }
  const inspection = isObj(data.inspection) ? data.inspection : undefined;
  if (inspection) for (const l of letters) if (!(l in inspection)) report('inspection-letter-missing', { letter: l }, ['inspection'], 'key');
  for (const [l] of entries(inspection)) letter(l, ['inspection', l, 'min']);
  list(data.examples).forEach((e, i) => isObj(e) && letter(e.expect, ['examples', i, 'expect']));
}
