/**
 * Load: YAML text → plain data, keeping every node's position so that later stages can report
 * problems at file:line:col. Hostile input (alias bombs, deep nesting, huge files, prototype
 * keys) becomes diagnostics here, before anything else looks at the data.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Document, Node as YamlNode } from 'yaml';
import { yaml } from '../lazy.js';
import { diagnostic, type Diagnostic, type Position } from './diagnostics.js';

export interface LoadOptions {
  /** Refuse files larger than this many bytes. Default 4 MiB: the largest standard is ~100 KB of text. */
  maxBytes?: number;
  /** Refuse more alias expansions than this (billion-laughs guard). Default 1000. */
  maxAliasCount?: number;
  /** Refuse data nested deeper than this. Default 200. */
  maxDepth?: number;
}

export const DEFAULT_LOAD_OPTIONS: Required<LoadOptions> = {
  maxBytes: 4 * 1024 * 1024,
  maxAliasCount: 1000,
  maxDepth: 200,
};

export type PathSegment = string | number;

/** Where a JSON path points in the source text. */
export interface Locator {
  (path: readonly PathSegment[], part?: 'key' | 'value'): Position;
}

export interface LoadedSource {
  file: string;
  /**
   * JSON paths of the innermost collections that hold a YAML syntax error: what the schema
   * says about them is a consequence of that error, not a second problem.
   */
  damaged?: string[];
  text: string;
  /** The data, or undefined when the text could not be read as one YAML document. */
  data: unknown;
  diagnostics: Diagnostic[];
  locate: Locator;
}

/** Full-width characters an input method slips in where YAML needs their ASCII twin. */
const FULL_WIDTH: Record<string, string> = { '：': ':', '，': ',', '　': ' ', '｛': '{', '｝': '}', '［': '[', '］': ']', '“': '"', '”': '"', '‘': "'", '’': "'" };
/** A key followed by a full-width colon, where a key can stand: line start, after `- `, `{` or `,`. */
const KEY_WITH_FULL_WIDTH_COLON = /(^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)([A-Za-z_$][A-Za-z0-9_]*)[ \t　]*：/g;
/** A flow-mapping separator typed full-width: `， key:` inside `{ … }`. */
const FULL_WIDTH_FLOW_COMMA = /，[ \t　]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*:/g;

function fullWidthSlips(text: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s#.*$/, '');
    const report = (col: number, char: string) =>
      out.push(diagnostic('full-width-character', { char, ascii: FULL_WIDTH[char] ?? '?' }, { file, line: i + 1, col: col + 1 }));
    // Full-width spaces in the indentation.
    const indent = /^[ \t　]*/.exec(line)![0];
    const wide = indent.indexOf('　');
    if (wide >= 0) report(wide, '　');
    for (const m of line.matchAll(KEY_WITH_FULL_WIDTH_COLON)) report(m.index + m[0].length - 1, '：');
    for (const m of line.matchAll(FULL_WIDTH_FLOW_COMMA)) if (line.lastIndexOf('{', m.index) >= 0) report(m.index, '，');
    // An identifier-like value in full-width quotes (“greaterThan”) is meant quoted: YAML would
    // keep the quotes as part of the value.
    const quoted = /:[ \t]+([“‘])[A-Za-z0-9_.-]*[”’]/.exec(line);
    if (quoted) report(quoted.index + quoted[0].indexOf(quoted[1]!), quoted[1]!);
  });
  return out;
}

/** Keys that would reach an object's prototype if some later code merged the data naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function loadPackFile(file: string, options: LoadOptions = {}): LoadedSource {
  const limits = { ...DEFAULT_LOAD_OPTIONS, ...options };
  try {
    const size = statSync(file).size;
    if (size > limits.maxBytes) {
      return refused(file, diagnostic('file-too-large', { size, limit: limits.maxBytes }, at(file)));
    }
    return parsePackText(readFileSync(file, 'utf8'), file, options);
  } catch (error) {
    return refused(file, diagnostic('file-unreadable', { reason: messageOf(error) }, at(file)));
  }
}

export function parsePackText(text: string, file = '<input>', options: LoadOptions = {}): LoadedSource {
  const limits = { ...DEFAULT_LOAD_OPTIONS, ...options };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return refused(file, diagnostic('file-too-large', { size: bytes, limit: limits.maxBytes }, at(file)));
  }

  // A byte-order mark (editors on Windows write one) is not content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // An input-method slip (a full-width colon after a key, full-width spaces as indentation)
  // derails the YAML parser into errors on other lines: name the slip itself, and only it.
  const slips = fullWidthSlips(text, file);
  if (slips.length > 0) return { file, text, data: undefined, diagnostics: slips, locate: () => ({ line: 1, col: 1 }) };

  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };

  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, {
      lineCounter,
      version: '1.2',
      schema: 'core',
      uniqueKeys: true,
      merge: false,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (error) {
    // The composer recurses per nesting level; absurd nesting exhausts the stack.
    return refused(file, diagnostic('nesting-too-deep', { limit: limits.maxDepth }, at(file)));
  }
  if (!Array.isArray(documents)) documents = [];

  const diagnostics: Diagnostic[] = [];
  const document = documents[0];
  if (documents.length > 1) {
    const start = documents[1]!.range?.[0] ?? 0;
    diagnostics.push(diagnostic('yaml-multiple-documents', {}, { file, ...position(start) }));
  }
  if (!document) {
    diagnostics.push(diagnostic('empty-file', {}, { file, line: 1, col: 1 }));
    return { file, text, data: undefined, diagnostics, locate: () => ({ line: 1, col: 1 }) };
  }

  // The composer recurses per nesting level: absurd nesting surfaces as a stack overflow in its
  // errors. That is the one problem to report, not a syntax error quoting the overflow.
  if (documents.some((d) => d.errors.some((e) => /call stack/i.test(e.message)))) {
    return refused(file, diagnostic('nesting-too-deep', { limit: limits.maxDepth }, at(file)));
  }

  const reportedLines = new Set<number>();
  const syntaxOffsets: number[] = [];
  const multiline = new Set(document.errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  for (const error of document.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      diagnostics.push(diagnostic('yaml-duplicate-key', { key: keyAt(text, error.pos[0]) }, { file, ...position(error.pos[0]) }));
      continue;
    }
    syntaxOffsets.push(error.pos[0]);
    // A line indented too far makes the parser see one multi-line key ending on that line:
    // point at the line itself, and report the pair of errors it raises once.
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(error.pos[0])) continue;
    const offset = error.code === 'MULTILINE_IMPLICIT_KEY' ? lineStart(text, error.pos[1]) : error.pos[0];
    const where = { file, ...position(offset) };
    if (reportedLines.has(where.line)) continue;
    reportedLines.add(where.line);
    const code = INDENTATION_ERRORS.has(error.code) ? 'yaml-indentation' : 'yaml-syntax';
    diagnostics.push(diagnostic(code, { detail: firstLine(error.message) }, where));
  }

  if (document.contents === null) {
    if (diagnostics.length === 0) diagnostics.push(diagnostic('empty-file', {}, { file, line: 1, col: 1 }));
    return { file, text, data: undefined, diagnostics, locate: () => ({ line: 1, col: 1 }) };
  }

  const depth = checkTree(document.contents, limits.maxDepth, (key, offset) =>
    diagnostics.push(diagnostic('forbidden-key', { key }, { file, ...position(offset) })),
  );
  const locate = makeLocator(document, position);
  if (depth > limits.maxDepth) {
    diagnostics.push(diagnostic('nesting-too-deep', { limit: limits.maxDepth }, { file, line: 1, col: 1 }));
    return { file, text, data: undefined, diagnostics, locate };
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    const isAliasBomb = /alias/i.test(messageOf(error));
    const where = isAliasBomb ? position(firstAliasOffset(document.contents)) : { line: 1, col: 1 };
    diagnostics.push(diagnostic(isAliasBomb ? 'yaml-alias-limit' : 'yaml-syntax', { detail: firstLine(messageOf(error)) }, { file, ...where }));
    return { file, text, data: undefined, diagnostics, locate };
  }
  return { file, text, data, diagnostics, locate, damaged: syntaxOffsets.map((o) => innermostCollection(document, o)) };
}

/** The first non-blank character of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  while (text[start] === ' ') start++;
  return start;
}

/** Where the first alias stands (an alias bomb is reported there). */
function firstAliasOffset(root: unknown): number {
  const { isAlias, isMap, isSeq } = yaml();
  let first = Number.POSITIVE_INFINITY;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) first = Math.min(first, node.range?.[0] ?? first);
    else if (isMap(node)) for (const pair of node.items) stack.push(pair.value);
    else if (isSeq(node)) stack.push(...node.items);
  }
  return Number.isFinite(first) ? first : 0;
}

const INDENTATION_ERRORS = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'TAB_AS_INDENT']);

/** The JSON path of the innermost map or sequence whose source range holds `offset`. */
function innermostCollection(document: Document.Parsed, offset: number): string {
  const { isMap, isSeq } = yaml();
  let node: unknown = document.contents;
  let path = '';
  const holds = (n: unknown) => {
    const range = (n as YamlNode | null)?.range;
    return range != null && range[0] <= offset && offset <= range[2];
  };
  for (;;) {
    let next: { node: unknown; segment: string } | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isMap(p.value) || isSeq(p.value)) && holds(p.value));
      if (pair) next = { node: pair.value, segment: String((pair.key as { value?: unknown } | null)?.value) };
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => (isMap(item) || isSeq(item)) && holds(item));
      if (index >= 0) next = { node: node.items[index], segment: String(index) };
    }
    if (!next) return path;
    node = next.node;
    path += `/${next.segment}`;
  }
}

/**
 * Loads data given as a value (a pack built in code): the same depth and key checks as YAML,
 * so a 10,000-deep condition is refused before any recursive stage sees it.
 */
export function loadPackData(data: unknown, file = '<data>', options: LoadOptions = {}): LoadedSource {
  const limits = { ...DEFAULT_LOAD_OPTIONS, ...options };
  const diagnostics: Diagnostic[] = [];
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[data, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (depth > limits.maxDepth) break;
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      if (FORBIDDEN_KEYS.has(key)) diagnostics.push(diagnostic('forbidden-key', { key }, at(file)));
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  if (deepest > limits.maxDepth) {
    diagnostics.push(diagnostic('nesting-too-deep', { limit: limits.maxDepth }, at(file)));
    return { file, text: '', data: undefined, diagnostics, locate: () => ({ line: 1, col: 1 }) };
  }
  return { file, text: '', data, diagnostics, locate: () => ({ line: 1, col: 1 }) };
}

/**
 * Walks the document without recursion (so depth itself cannot overflow the stack), reporting
 * forbidden keys, and returns the maximum depth.
 */
function checkTree(
  root: unknown,
  maxDepth: number,
  onForbiddenKey: (key: string, offset: number) => void,
): number {
  const { isMap, isScalar, isSeq } = yaml();
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (depth > maxDepth) return depth;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
          onForbiddenKey(String(pair.key.value), pair.key.range?.[0] ?? 0);
        }
        stack.push([pair.value, depth + 1]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push([item, depth + 1]);
    }
  }
  return deepest;
}

/** Finds the node at a JSON path and returns the position of its key or of its value. */
function makeLocator(document: Document.Parsed, position: (offset: number) => Position): Locator {
  const { isMap, isPair, isScalar, isSeq } = yaml();
  return (path, part = 'value') => {
    let node: unknown = document.contents;
    let best = offsetOf(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        if (last && part === 'key') {
          best = offsetOf(pair.key) ?? best;
          break;
        }
        node = pair.value;
        best = offsetOf(node) ?? offsetOf(pair.key) ?? best;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        node = isPair(item) ? item.value : item;
        best = offsetOf(node) ?? best;
      } else {
        break;
      }
    }
    return position(best);
  };
}

function offsetOf(node: unknown): number | undefined {
  return (node as YamlNode | null)?.range?.[0];
}

function keyAt(text: string, offset: number): string {
  return /^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '';
}

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const at = (file: string) => ({ file, line: 1, col: 1 });

function refused(file: string, d: Diagnostic): LoadedSource {
  return { file, text: '', data: undefined, diagnostics: [d], locate: () => ({ line: 1, col: 1 }) };
}
