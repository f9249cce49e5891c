/**
 * The stages chained: YAML file or text → load → validate → compile, and the full check a pack
 * author runs (validation plus every example). This is the public face of `src/pack` and
 * `src/compile`; each function says which stages it runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cachedBundledPack } from './bundled.js';
import { runExamples, type ExampleResult } from './classify/examples.js';
import { compilePack, lazilyCompiledPack, type CompiledPack } from './compile/compile-pack.js';
import { PackError } from './errors.js';
import { hasErrors, type Diagnostic } from './pack/diagnostics.js';
import { loadPackData, loadPackFile, parsePackText, type LoadedSource, type LoadOptions } from './pack/load.js';
import type { Pack } from './pack/schema.js';
import { validatePackData } from './pack/validate.js';

/** A pack given as a file path, as YAML text, or as data already parsed. */
export type PackSource = string | { text: string; file?: string } | { data: unknown; file?: string };

export interface PackValidation {
  /** The pack, when it has no error. */
  pack?: Pack;
  /** Every problem found, errors and warnings, with positions. */
  diagnostics: Diagnostic[];
  file: string;
  /** Each example's outcome, when the pack got far enough to run them. */
  examples?: ExampleResult[];
}

function read(source: PackSource, options?: LoadOptions): LoadedSource {
  if (typeof source === 'string') return loadPackFile(source, options);
  if ('text' in source) return parsePackText(source.text, source.file ?? '<input>', options);
  return loadPackData(source.data, source.file ?? '<data>', options);
}

/**
 * A structural complaint about a collection that holds a YAML syntax error (or about its parent,
 * which then lacks the keys the broken lines were meant to give) repeats that error.
 */
function isConsequenceOfSyntax(d: Diagnostic, damaged: readonly string[] = []): boolean {
  if (!(d.code.startsWith('schema-') || d.code === 'bad-condition')) return false;
  return damaged.some((path) => {
    const parent = path.slice(0, path.lastIndexOf('/'));
    const scope = parent === '' ? path : parent;
    return d.path === scope || d.path.startsWith(`${scope}/`);
  });
}

/** load → validate (structure and meaning). Does not run the examples. */
function loadAndValidate(source: PackSource, options?: LoadOptions): PackValidation & { loaded: LoadedSource } {
  const loaded = read(source, options);
  if (loaded.data === undefined) return { diagnostics: loaded.diagnostics, file: loaded.file, loaded };
  const result = validatePackData(loaded.data, loaded.file, loaded.locate);
  const diagnostics = [...loaded.diagnostics, ...result.diagnostics.filter((d) => !isConsequenceOfSyntax(d, loaded.damaged))];
  return { pack: hasErrors(diagnostics) ? undefined : result.pack, diagnostics, file: loaded.file, loaded };
}

/**
 * Everything a pack author needs checked: YAML, structure, meaning, and every rule's and the
 * site determination's examples. Never throws on bad input: problems come back as diagnostics.
 */
export function validatePack(source: PackSource, options?: LoadOptions): PackValidation {
  return checkPack(source, options).validation;
}

/** validatePack, keeping the compiled pack its examples ran on. */
function checkPack(source: PackSource, options?: LoadOptions): { validation: PackValidation; compiled?: CompiledPack } {
  const result = loadAndValidate(source, options);
  if (!result.pack) return { validation: { diagnostics: result.diagnostics, file: result.file } };
  const compiled = compilePack(result.pack, { file: result.file });
  const examples = runExamples(compiled, result.loaded.locate);
  const diagnostics = [...result.diagnostics, ...examples.diagnostics];
  const ok = !hasErrors(diagnostics);
  return { validation: { pack: ok ? result.pack : undefined, diagnostics, file: result.file, examples: examples.results }, compiled: ok ? compiled : undefined };
}

/** load → validate; throws a `PackError` (with every diagnostic) if the pack has an error. */
export function loadPack(source: PackSource, options?: LoadOptions): Pack {
  const result = loadAndValidate(source, options);
  if (!result.pack) throw new PackError(result.file, result.diagnostics);
  return result.pack;
}

/**
 * load → validate → run the examples → compile, ready for an engine. A bundled pack whose text
 * is unchanged since the build comes from the build-time cache (validated and its examples run
 * there) and skips straight to compile. `checkExamples: false` skips the examples (hot reloads).
 */
export function loadCompiledPack(source: PackSource, options: LoadOptions & { checkExamples?: boolean } = {}): CompiledPack {
  if (typeof source === 'string') {
    const file = resolve(source);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // unreadable: the full path below reports it
    }
    const cached = text === undefined ? undefined : cachedBundledPack(file, text);
    // Validated at build time; compiled when a finding first reaches it.
    if (cached) return lazilyCompiledPack(cached.data as Pack, { file: source, hash: cached.hash });
  }
  // A pack loaded from source is used only if its own examples pass: a pack that contradicts
  // its examples would judge findings wrongly without a word.
  if (options.checkExamples !== false) {
    const { validation, compiled } = checkPack(source, options);
    if (!compiled) throw new PackError(validation.file, validation.diagnostics);
    return compiled;
  }
  const result = loadAndValidate(source, options);
  if (!result.pack) throw new PackError(result.file, result.diagnostics);
  return compilePack(result.pack, { file: result.file });
}
