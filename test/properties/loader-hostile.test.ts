/**
 * Property 6 (part 3) — hostile YAML and data. `validatePack` never throws on any of it.
 *
 * - Nesting of random depth up to 10,000 (flow sequences, flow maps, compact block sequences,
 *   block maps, data built in code, and deep nesting inside a real pack): refused with
 *   nesting-too-deep exactly when the data is deeper than the limit (default 200, and random
 *   `maxDepth` options for the load stage), never a stack overflow.
 * - Alias bombs of random fan-out (1–12), depth (1–12) and base width, alone or appended to a
 *   real pack: either refused with yaml-alias-limit or loaded as a small result (never more than
 *   10^5 nodes), within 5 s; an expansion beyond 10^5 nodes is always refused.
 * - Prototype keys (`__proto__`, `constructor`, `prototype`) at random places of random trees
 *   (as JSON text, block YAML and data) and inserted at a random map of every real pack (text
 *   and data): each reported (forbidden-key), and after every run Object.prototype (and Array,
 *   Function, String prototypes) has exactly the members it had, none replaced, and
 *   `({}).polluted` is undefined.
 *
 * Replaying a failure: fast-check prints `seed` and `path`. Either pass them to the failing
 * call — `fc.assert(property, { ...params(n), seed: <seed>, path: '<path>' })` — or, without
 * editing, `FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/loader-hostile.test.ts -t '<test name>'`.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq, Document, type Node as YamlNode } from 'yaml';
import { DEFAULT_LOAD_OPTIONS, loadPackFile, parsePackText } from '../../src/pack/load.js';
import { validatePack } from '../../src/pipeline.js';
import { allPackFiles } from '../helpers/packs.js';
import { checkValidation, params, prototypeSnapshot } from '../helpers/properties.js';

const LIMIT = DEFAULT_LOAD_OPTIONS.maxDepth;
const codesOf = (r: { diagnostics: Array<{ code: string }> }) => r.diagnostics.map((d) => d.code);

type Form = 'flow-seq' | 'flow-map' | 'compact-seq' | 'block-map' | 'data' | 'in-pack';

/**
 * A document nested `levels` deep, and its depth as the loader counts it (root = 1, each
 * collection or scalar inside one level more).
 */
function nested(form: Form, levels: number, packText: string): { source: { text: string } | { data: unknown }; depth: number } {
  switch (form) {
    case 'flow-seq':
      return { source: { text: `a: ${'['.repeat(levels)}${']'.repeat(levels)}\n` }, depth: levels + 1 };
    case 'flow-map':
      return { source: { text: `${'{a: '.repeat(levels)}1${'}'.repeat(levels)}\n` }, depth: levels + 1 };
    case 'compact-seq':
      return { source: { text: `${'- '.repeat(levels)}x\n` }, depth: levels + 1 };
    case 'block-map': {
      const lines = Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}a:`);
      return { source: { text: `${lines.join('\n')} 1\n` }, depth: levels + 1 };
    }
    case 'data': {
      let data: unknown = 1;
      for (let i = 0; i < levels; i++) data = i % 2 === 0 ? [data] : { a: data };
      return { source: { data }, depth: levels + 1 };
    }
    case 'in-pack':
      // A top-level key of a real pack holding the nesting: the pack is depth 1, the key's value 2.
      return { source: { text: `${packText}\nnesting: ${'['.repeat(levels)}${']'.repeat(levels)}\n` }, depth: levels + 1 };
  }
}

const packTexts = allPackFiles().map((f) => readFileSync(f, 'utf8'));
const levels = fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: LIMIT - 5, max: LIMIT + 5 }), fc.integer({ min: 1, max: 50 }));

describe('deep nesting', () => {
  it(`validatePack: nesting-too-deep exactly beyond depth ${LIMIT}, never a throw`, () => {
    fc.assert(
      fc.property(fc.constantFrom<Form>('flow-seq', 'flow-map', 'compact-seq', 'data', 'in-pack'), levels, fc.constantFrom(...packTexts), (form, n, packText) => {
        const { source, depth } = nested(form, n, packText);
        const result = validatePack({ ...source, file: `nested-${form}` });
        checkValidation(result);
        const tooDeep = depth > LIMIT;
        expect(codesOf(result).includes('nesting-too-deep'), `${form}, ${n} levels (depth ${depth})`).toBe(tooDeep);
        if (tooDeep) expect(result.pack).toBeUndefined();
      }),
      params(60),
    );
  });

  it('block maps (indentation nesting, up to 600 levels) too', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: LIMIT - 3, max: LIMIT + 3 })), (n) => {
        const { source, depth } = nested('block-map', n, '');
        const result = validatePack({ ...source, file: 'nested-block' });
        checkValidation(result);
        expect(codesOf(result).includes('nesting-too-deep'), `${n} levels`).toBe(depth > LIMIT);
      }),
      params(20),
    );
  });

  it('the load stage honours any maxDepth option', () => {
    fc.assert(
      fc.property(fc.constantFrom<Form>('flow-seq', 'flow-map', 'compact-seq'), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 300 }), (form, n, maxDepth) => {
        const { source, depth } = nested(form, n, '');
        const loaded = parsePackText((source as { text: string }).text, 'nested.yaml', { maxDepth });
        expect(codesOf(loaded).includes('nesting-too-deep'), `${form}, depth ${depth}, maxDepth ${maxDepth}`).toBe(depth > maxDepth);
        expect(loaded.data === undefined).toBe(depth > maxDepth);
      }),
      params(100),
    );
  });
});

/** Nodes in a value, counting shared ones each time they are reached; stops past `cap`. */
function size(value: unknown, cap: number): number {
  let n = 0;
  const stack = [value];
  while (stack.length > 0 && n <= cap) {
    const v = stack.pop();
    n++;
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') stack.push(...Object.values(v));
  }
  return n;
}

describe('alias bombs', () => {
  const bomb = fc.record({ fanOut: fc.integer({ min: 1, max: 12 }), depth: fc.integer({ min: 1, max: 12 }), width: fc.integer({ min: 1, max: 9 }), inPack: fc.option(fc.nat({ max: packTexts.length - 1 }), { nil: undefined }) });

  it('refused with yaml-alias-limit or loaded small, within 5 s; never a throw', () => {
    fc.assert(
      fc.property(bomb, ({ fanOut, depth, width, inPack }) => {
        const lines = [`a0: &a0 [${Array(width).fill('lol').join(', ')}]`];
        for (let i = 1; i <= depth; i++) lines.push(`a${i}: &a${i} [${Array(fanOut).fill(`*a${i - 1}`).join(', ')}]`);
        const text = `${inPack === undefined ? '' : `${packTexts[inPack]}\n`}${lines.join('\n')}\n`;
        const expansion = width * fanOut ** depth;
        const started = performance.now();
        const loaded = parsePackText(text, 'bomb.yaml');
        const result = validatePack({ text, file: 'bomb.yaml' });
        const elapsed = performance.now() - started;
        checkValidation(result);
        expect(elapsed, `fan-out ${fanOut}, depth ${depth}`).toBeLessThan(5_000);
        const refused = codesOf(loaded).includes('yaml-alias-limit');
        expect(codesOf(result).includes('yaml-alias-limit')).toBe(refused);
        if (refused) {
          expect(loaded.data).toBeUndefined();
        } else {
          expect(loaded.data).toBeDefined();
          expect(size(loaded.data, 100_000), `fan-out ${fanOut}, depth ${depth}, width ${width}`).toBeLessThanOrEqual(100_000);
        }
        if (expansion > 100_000) expect(refused, `an expansion of ${expansion} nodes was loaded`).toBe(true);
      }),
      params(60),
    );
  });
});

// ---- prototype keys ----------------------------------------------------------------------

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const KEYS = [...FORBIDDEN, ...FORBIDDEN, 'polluted', 'isAdmin', 'toString', 'valueOf', 'hasOwnProperty', 'rules', 'facts', 'a'];

type Tree = { map: Array<[string, Tree]> } | { seq: Tree[] } | { leaf: boolean | number | string };

const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree; leaf: Tree }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('map'), tie('map'), tie('seq')),
  map: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { selector: ([k]) => k, maxLength: 4 }).map((entries) => ({ map: entries })),
  seq: fc.array(tie('tree'), { maxLength: 3 }).map((items) => ({ seq: items })),
  leaf: fc.oneof(fc.boolean(), fc.integer(), fc.constantFrom('x', 'true', 'polluted', '{}')).map((leaf) => ({ leaf })),
}));

/** A tree with a forbidden key at its root (so every generated tree has at least one). */
const hostileTree = fc.tuple(fc.constantFrom(...FORBIDDEN), tree, tree).map(([key, value, rest]): Tree => ({
  map: [[key, value], ...('map' in rest ? rest.map.filter(([k]) => k !== key) : [])],
}));

const forbiddenCount = (t: Tree): number =>
  'map' in t ? t.map.reduce((n, [k, v]) => n + (FORBIDDEN.includes(k) ? 1 : 0) + forbiddenCount(v), 0) : 'seq' in t ? t.seq.reduce((n, v) => n + forbiddenCount(v), 0) : 0;

function toJsonText(t: Tree): string {
  if ('map' in t) return `{${t.map.map(([k, v]) => `${JSON.stringify(k)}: ${toJsonText(v)}`).join(', ')}}`;
  if ('seq' in t) return `[${t.seq.map(toJsonText).join(', ')}]`;
  return JSON.stringify(t.leaf);
}

function toYamlNode(t: Tree): YamlNode {
  if ('map' in t) {
    const map = new YAMLMap();
    for (const [k, v] of t.map) map.items.push(new Pair(new Scalar(k), toYamlNode(v)));
    return map;
  }
  if ('seq' in t) {
    const seq = new YAMLSeq();
    for (const v of t.seq) seq.items.push(toYamlNode(v));
    return seq;
  }
  return new Scalar(t.leaf);
}

function toBlockYaml(t: Tree): string {
  const doc = new Document();
  doc.contents = toYamlNode(t) as never;
  return doc.toString();
}

/** Data as JSON.parse builds it: `__proto__` an own property, not the prototype. */
function toData(t: Tree): unknown {
  if ('map' in t) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of t.map) Object.defineProperty(out, k, { value: toData(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if ('seq' in t) return t.seq.map(toData);
  return t.leaf;
}

describe('prototype keys', () => {
  const clean = prototypeSnapshot();

  it('(the check itself sees a polluted or altered prototype)', () => {
    const check = prototypeSnapshot();
    const failure = (alter: () => void, restore: () => void): string => {
      alter();
      try {
        check();
        return 'no error';
      } catch (error) {
        return String(error);
      } finally {
        restore();
      }
    };
    const proto = Object.prototype as Record<string, unknown>;
    const toString = Object.prototype.toString;
    expect(failure(() => (proto.polluted = true), () => delete proto.polluted)).toMatch(/polluted/);
    expect(failure(() => (Object.prototype.toString = () => 'x'), () => (Object.prototype.toString = toString))).toMatch(/replaced/);
    check();
  });

  it('random trees (JSON text, block YAML, data): each forbidden key reported, prototypes untouched', () => {
    fc.assert(
      fc.property(hostileTree, fc.constantFrom('json', 'block', 'data'), (t, as) => {
        const source = as === 'json' ? { text: toJsonText(t) } : as === 'block' ? { text: toBlockYaml(t) } : { data: toData(t) };
        const result = validatePack({ ...source, file: `proto-${as}` });
        clean();
        checkValidation(result);
        expect(codesOf(result).filter((c) => c === 'forbidden-key').length, JSON.stringify(source)).toBeGreaterThanOrEqual(forbiddenCount(t));
        expect(result.pack).toBeUndefined();
      }),
      params(200),
    );
    clean();
  });

  describe.each(allPackFiles())('inserted at a random map of %s', (file) => {
    const text = readFileSync(file, 'utf8');
    const data = loadPackFile(file).data;
    const maps = (() => {
      const doc = parseDocument(text);
      let n = 0;
      visit(doc, { Map: () => void n++ });
      return n;
    })();

    it('as YAML text: reported, never a pack, prototypes untouched', () => {
      fc.assert(
        fc.property(fc.nat({ max: maps - 1 }), fc.constantFrom(...FORBIDDEN), tree, (target, key, value) => {
          const doc = parseDocument(text);
          let n = 0;
          visit(doc, {
            Map: (_, node) => {
              if (n++ === target && isMap(node)) node.items.push(new Pair(new Scalar(key), toYamlNode(value)));
            },
          });
          const result = validatePack({ text: doc.toString(), file });
          clean();
          checkValidation(result);
          expect(codesOf(result)).toContain('forbidden-key');
          expect(result.pack).toBeUndefined();
        }),
        params(15),
      );
    });

    it('as data: reported, never a pack, prototypes untouched', () => {
      const objects: number = (() => {
        let n = 0;
        const stack = [data];
        while (stack.length > 0) {
          const v = stack.pop();
          if (Array.isArray(v)) stack.push(...v);
          else if (v !== null && typeof v === 'object') {
            n++;
            stack.push(...Object.values(v));
          }
        }
        return n;
      })();
      fc.assert(
        fc.property(fc.nat({ max: objects - 1 }), fc.constantFrom(...FORBIDDEN), tree, (target, key, value) => {
          const copy = structuredClone(data);
          let n = 0;
          const stack: unknown[] = [copy];
          while (stack.length > 0) {
            const v = stack.pop();
            if (Array.isArray(v)) stack.push(...v);
            else if (v !== null && typeof v === 'object') {
              if (n++ === target) Object.defineProperty(v, key, { value: toData(value), enumerable: true, writable: true, configurable: true });
              else stack.push(...Object.values(v));
            }
          }
          const result = validatePack({ data: copy, file });
          clean();
          checkValidation(result);
          expect(codesOf(result)).toContain('forbidden-key');
          expect(result.pack).toBeUndefined();
        }),
        params(15),
      );
    });
  });
});
