/**
 * Heavy dependencies loaded on first use. Judging findings needs none of zod, ajv, yaml or
 * json-rules-engine when the input is valid and the packs come from the build-time cache, and
 * start-up time is what `hazard-rules list` and every short CLI run pay.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function lazy<T>(name: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(name) as T);
}

export const zod = lazy<typeof import('zod')>('zod');
export const yaml = lazy<typeof import('yaml')>('yaml');
export const ajv = lazy<typeof import('ajv')>('ajv');
export const jsonRulesEngine = lazy<typeof import('json-rules-engine')>('json-rules-engine');
