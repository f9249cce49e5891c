/**
 * The structural check: a pack's data against `schemas/rule-pack.schema.json` (or a grading
 * scheme's against `schemas/grading-scheme.schema.json`) with ajv, compiled once per schema. Ajv's raw errors are turned into diagnostics a safety engineer can act on:
 * one per real problem, at the key or value it concerns, with "did you mean" where it helps.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from '../lazy.js';
import { closest, diagnostic, type Diagnostic } from './diagnostics.js';
import type { Locator, PathSegment } from './load.js';
import { FACT_NAME, ISO_DATE, ISO_DURATION, PACK_ID, RULE_ID, SEMVER } from './format.js';
import { packJsonSchema } from './schema.js';

interface Compiled {
  validate: ValidateFunction;
  condition?: JsonSchema;
  leaf?: JsonSchema;
}
type JsonSchema = { anyOf?: JsonSchema[] } & Record<string, unknown>;
/** Where a JSON Schema comes from: the pack format's, or a grading scheme's. */
export type SchemaSource = () => Record<string, unknown>;

const compiledBySource = new Map<SchemaSource, Compiled>();
let current: Compiled;

/** Ajv compiled once per schema; the condition schemas are kept to recognise their errors by identity. */
function validatorFor(source: SchemaSource): Compiled {
  let compiled = compiledBySource.get(source);
  if (!compiled) {
    const schema = source() as { definitions?: Record<string, JsonSchema> };
    compiled = {
      validate: new (ajv().Ajv)({ allErrors: true, strict: false, verbose: true }).compile(schema),
      condition: schema.definitions?.Condition,
      leaf: schema.definitions?.LeafCondition,
    };
    compiledBySource.set(source, compiled);
  }
  return compiled;
}
const validator = (): Compiled => current;

const PATTERN_NAMES = new Map<string, string>([
  [FACT_NAME.source, 'a lower snake_case name (a–z, 0–9, _)'],
  [RULE_ID.source, 'an id of letters, digits, . _ -'],
  [PACK_ID.source, 'a kebab-case id (fireworks-2017)'],
  [SEMVER.source, 'a version like 1.0.0'],
  [ISO_DATE.source, 'a date YYYY-MM-DD'],
  [ISO_DURATION.source, 'an ISO 8601 duration (P1Y, P3M, PT72H)'],
]);

const CONDITION_BRANCH_BY_KEY: Record<string, number> = { fact: 0, all: 1, any: 2, not: 3 };

export function checkSchema(data: unknown, file: string, locate: Locator, source: SchemaSource = packJsonSchema): Diagnostic[] {
  current = validatorFor(source);
  const { validate } = current;
  if (validate(data)) return [];
  const errors = prune(validate.errors ?? [], data);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const d = toDiagnostic(error, data, file, locate);
    const key = `${d.line}:${d.col}:${d.code}:${d.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(d);
    }
  }
  return diagnostics;
}

/**
 * Ajv reports every branch of a failed `anyOf`. Keep the errors of the branch the author meant:
 * for conditions, the branch named by its key (all / any / not / fact); otherwise the branch
 * that got deepest into the data.
 */
function prune(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    dropped.add(anyOf);
    const at = anyOf.instancePath;
    const branchErrors = errors.filter(
      (e) => e !== anyOf && e.schemaPath.startsWith(`${anyOf.schemaPath}/`) && isWithin(e.instancePath, at),
    );
    const { condition, leaf } = validator();
    if (condition !== undefined && anyOf.parentSchema === condition) {
      const node = valueAt(data, at);
      const keys = node && typeof node === 'object' ? Object.keys(node) : [];
      const key = keys.find((k) => k in CONDITION_BRANCH_BY_KEY);
      // A leaf with a misspelt `fact` still has its operator or value: treat it as a leaf.
      const branch = key !== undefined ? CONDITION_BRANCH_BY_KEY[key] : keys.some((k) => k === 'operator' || k === 'value') ? 0 : undefined;
      const chosen = branch === undefined ? undefined : branch === 0 ? leaf : condition.anyOf![branch];
      for (const e of errors) {
        if (e !== anyOf && e.instancePath === at && e.parentSchema !== chosen) dropped.add(e);
      }
      if (branch === undefined) dropped.delete(anyOf);
      continue;
    }
    const deeper = branchErrors.filter((e) => e.instancePath !== at);
    if (deeper.length > 0) {
      for (const e of branchErrors) if (e.instancePath === at) dropped.add(e);
    } else {
      for (const e of branchErrors) dropped.add(e);
      dropped.delete(anyOf);
    }
  }
  // `propertyNames` repeats the nested pattern error; keep the one that names the key.
  for (const e of errors) if (e.keyword === 'propertyNames') dropped.add(e);
  return errors.filter((e) => !dropped.has(e));
}

function toDiagnostic(error: ErrorObject, data: unknown, file: string, locate: Locator): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const pointer = error.instancePath;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const where = (segments: PathSegment[], part: 'key' | 'value' = 'value') => ({
    file,
    path: '/' + segments.map(String).join('/'),
    ...locate(segments, part),
  });

  if (propertyName !== undefined) {
    const what = PATTERN_NAMES.get(String(error.params.pattern)) ?? 'a valid name';
    return diagnostic('schema-format', { what: `"${propertyName}" must be ${what}` }, where([...path, propertyName], 'key'));
  }
  switch (error.keyword) {
    case 'required':
      // Point at the key that holds the incomplete object, where the author will add the line.
      return diagnostic('schema-required', { key: String(error.params.missingProperty) }, where(path, path.length > 0 ? 'key' : 'value'));
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      return diagnostic('schema-unknown-key', { key, hint: closest(key, allowed) ?? '' }, where([...path, key], 'key'));
    }
    case 'type': {
      // YAML reads 5.2 as a number: a clause number must be quoted to stay text.
      const quote = error.params.type === 'string' && typeof valueAt(data, pointer) === 'number' ? " (quote it: '5.2')" : '';
      return diagnostic('schema-type', { expected: `${String(error.params.type)}${quote}` }, where(path));
    }
    case 'enum':
      // An operator is the word authors most often misspell: name it and the nearest one.
      if (path[path.length - 1] === 'operator' && typeof valueAt(data, pointer) === 'string') {
        const operator = String(valueAt(data, pointer));
        return diagnostic('unknown-operator', { operator, hint: closest(operator, error.params.allowedValues as string[]) ?? '' }, where(path));
      }
      return diagnostic(
        'schema-enum',
        { allowed: (error.params.allowedValues as unknown[]).join(', ') },
        where(path),
      );
    case 'pattern': {
      const what = PATTERN_NAMES.get(String(error.params.pattern)) ?? `pattern ${error.params.pattern}`;
      return diagnostic('schema-format', { what: `${JSON.stringify(valueAt(data, pointer))} is not ${what}` }, where(path));
    }
    case 'anyOf':
      if (error.parentSchema === validator().condition) return diagnostic('bad-condition', {}, where(path));
      return diagnostic('schema-invalid', { detail: 'matches none of the allowed forms' }, where(path));
    default:
      return diagnostic('schema-invalid', { detail: `${error.message ?? error.keyword}` }, where(path));
  }
}


const isWithin = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const segment of pointerToPath(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}
