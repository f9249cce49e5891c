/**
 * A–D supervision grading: schemes (bundled in rules/grading/, or a jurisdiction's own file),
 * and grading an enterprise profile by one of them as of a day. The engine exposes this as
 * `engine.grade` / `engine.gradeMany`, judging each hazard's finding by its own packs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../bundled.js';
import { HazardRulesError } from '../errors.js';
import { gradeWith, type CompiledScheme, type GradeResult } from './grade.js';
import { loadScheme, setSchemeExampleRunner } from './load.js';
import { parseEnterprise, prepare, type Judge } from './profile.js';

export const DEFAULT_SCHEME = 'default';

/** Paths of the bundled grading schemes (rules/grading/<id>.yaml). */
export function bundledSchemeFiles(): string[] {
  const dir = join(packageRoot(), 'rules', 'grading');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f))
    .sort();
}

const bundledCache = new Map<string, CompiledScheme>();

/** A scheme by bundled id, or a path to a scheme file, or a compiled scheme. */
export function resolveScheme(spec: string | CompiledScheme = DEFAULT_SCHEME): CompiledScheme {
  if (typeof spec !== 'string') return spec;
  let scheme = bundledCache.get(spec);
  if (scheme) return scheme;
  const bundled = bundledSchemeFiles().find((f) => f.endsWith(`/${spec}.yaml`));
  const file = bundled ?? (existsSync(spec) ? spec : undefined);
  if (!file) throw new HazardRulesError('unknown-scheme', `no grading scheme "${spec}": bundled ones are ${bundledSchemeFiles().map((f) => f.replace(/^.*\//, '').replace(/\.yaml$/, '')).join(', ')}; or give a file`);
  scheme = loadScheme(file);
  bundledCache.set(spec, scheme);
  return scheme;
}

/** Grades one enterprise profile by a scheme as of a day; hazards' findings are judged by `judge`. */
export function gradeEnterprise(judge: Judge, scheme: CompiledScheme, profile: unknown, asOf: string): GradeResult {
  const enterprise = parseEnterprise(profile);
  return gradeWith(scheme, prepare(enterprise, scheme.source, judge, asOf), asOf);
}

/** Scheme examples are judged with the bundled packs (their hazards' findings name bundled standards). */
let exampleJudge: Judge | undefined;
export function useExampleJudge(judge: () => Judge): void {
  setSchemeExampleRunner((scheme, example) => {
    exampleJudge ??= judge();
    return gradeEnterprise(exampleJudge, scheme, example.enterprise, example.as_of).letter;
  });
}

export type { CompiledScheme, GradeResult } from './grade.js';
export type { EnterpriseInput } from './enterprise.js';
export { loadScheme, validateScheme } from './load.js';
export { schemeJsonSchema } from './scheme.js';
