/**
 * Property 6 (part 1) — `validatePack` is total on text: whatever it is given, it never throws
 * and always returns `{ diagnostics }` (well-formed: known code, severity, 1-based position,
 * both messages), and a pack comes back only when there is no error.
 *
 * - random strings: UTF-16 strings, full-Unicode strings (lone surrogates included), grapheme
 *   strings, and a soup of YAML tokens;
 * - random character-level mutations of every pack file's text (delete, insert, replace a
 *   character or a YAML token, truncate, duplicate or swap lines, indent or dedent a line);
 * - random data given as `{ data }` (fc.anything);
 * - and a text or data that is not a pack must say so: no pack ⇒ at least one error diagnostic.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/loader-text.test.ts -t '<test name>'`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/pack/diagnostics.js';
import { loadCompiledPack, validatePack } from '../../src/pipeline.js';
import { allPackFiles } from '../helpers/packs.js';
import { checkValidation, params } from '../helpers/properties.js';

/** Tokens that mean something to YAML (or to its parser's corner cases). */
const TOKENS = [
  ':', ': ', '-', '- ', ' ', '  ', '\n', '\r\n', '\t', '{', '}', '[', ']', ',', '&a', '*a', '&b ', '*b', '!!str', '!!binary', '!tag',
  '|', '|-', '>', '>+', '#', '"', "'", '---', '...', '? ', '%YAML 1.2\n', '%TAG ! tag:x:\n', '<<: *a', '~', 'null', 'true', 'yes', '0x1F',
  '.inf', '-.nan', '1e309', '2026-02-30', 'id', 'rules', 'facts', 'when', 'fact', 'operator', 'value', 'all', 'any', 'not', '__proto__',
  'constructor', 'prototype', '\u0000', '\uFEFF', '\ud800', '\u2028', '\u00a0', '中', '𠀀', '\\', '\\u0000', '"\\x"',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(''));

const randomText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  tokenSoup,
);

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line' | 'indent' | 'dedent'; line: number }
  | { kind: 'swap-lines'; line: number; other: number };

const piece = fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), fc.constantFrom(...TOKENS));
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: piece }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: piece }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('duplicate-line' as const, 'indent' as const, 'dedent' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), line: fc.nat(), other: fc.nat() }),
);

function applyEdit(text: string, e: Edit): string {
  const n = text.length + 1;
  switch (e.kind) {
    case 'delete':
      return text.slice(0, e.at % n) + text.slice((e.at % n) + e.length);
    case 'insert':
      return text.slice(0, e.at % n) + e.text + text.slice(e.at % n);
    case 'replace':
      return text.slice(0, e.at % n) + e.text + text.slice((e.at % n) + 1);
    case 'truncate':
      return text.slice(0, e.at % n);
  }
  const lines = text.split('\n');
  const i = e.line % lines.length;
  if (e.kind === 'duplicate-line') lines.splice(i, 0, lines[i]!);
  else if (e.kind === 'indent') lines[i] = `  ${lines[i]}`;
  else if (e.kind === 'dedent') lines[i] = lines[i]!.replace(/^ {1,2}/, '');
  else if (e.kind === 'swap-lines') {
    const j = e.other % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join('\n');
}

describe('validatePack on random text', () => {
  it('never throws; well-formed diagnostics; a pack only without errors', () => {
    fc.assert(
      fc.property(randomText, (text) => {
        checkValidation(validatePack({ text, file: 'random.yaml' }));
      }),
      params(400),
    );
  });

  it('never throws on random data given as { data }', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, maxKeys: 6 }), (data) => {
        checkValidation(validatePack({ data, file: 'random-data' }));
      }),
      params(300),
    );
  });

  // Random text is never a pack, so it must never pass silently: no pack, and no error saying
  // why, would let `hazard-rules validate` exit 0 on a file that `loadPack` refuses.
  it('a text that is not a pack gets at least one error diagnostic', () => {
    fc.assert(
      fc.property(randomText, (text) => {
        const result = validatePack({ text, file: 'random.yaml' });
        expect(result.pack).toBeUndefined();
        expect(hasErrors(result.diagnostics), `no error for ${JSON.stringify(text)}: ${JSON.stringify(result.diagnostics.map((d) => d.code))}`).toBe(true);
      }),
      params(300),
    );
  });
});

const texts = new Map(allPackFiles().map((f) => [f, readFileSync(f, 'utf8')]));

describe.each(allPackFiles())('validatePack on character-level mutations of %s', (file) => {
  const original = texts.get(file)!;

  it('never throws; well-formed diagnostics; a pack only without errors (and then it compiles)', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const text = edits.reduce(applyEdit, original);
        const result = validatePack({ text, file });
        checkValidation(result);
        // Still a pack: it must load and compile the same way.
        if (result.pack) expect(loadCompiledPack({ text, file }).id).toBe(result.pack.id);
      }),
      params(25),
    );
  });
});

it('a mutated pack text that is no longer a pack gets at least one error diagnostic (every pack)', () => {
  fc.assert(
    fc.property(fc.constantFrom(...texts.keys()), fc.array(edit, { minLength: 1, maxLength: 4 }), (file, edits) => {
      const result = validatePack({ text: edits.reduce(applyEdit, texts.get(file)!), file });
      if (!result.pack) expect(hasErrors(result.diagnostics), `no pack and no error after ${JSON.stringify(edits)}`).toBe(true);
    }),
    params(60),
  );
});
