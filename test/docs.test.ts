/**
 * docs/rule-authoring.zh.md stays true: its example pack validates and its examples pass, its
 * rule snippets are taken from that pack, the explain and validate output it shows is what the
 * commands print, every complete pack among its YAML blocks validates, and the diagnostic codes
 * it names exist. The README lists every export of src/index.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../src/cli/main.js';
import { DIAGNOSTIC_CODES } from '../src/pack/diagnostics.js';
import { validatePack } from '../src/pipeline.js';
import { runExamples } from '../src/classify/examples.js';
import { compilePack } from '../src/compile/compile-pack.js';
import * as api from '../src/index.js';
import { ROOT } from './helpers/packs.js';

const DOC = readFileSync(join(ROOT, 'docs', 'rule-authoring.zh.md'), 'utf8');
const PACK_FILE = join(ROOT, 'examples', 'packs', 'warehouse-demo-2026.yaml');
const PACK_TEXT = readFileSync(PACK_FILE, 'utf8');

/** The fenced blocks of a markdown text, with their language. */
const blocks = (text: string): Array<{ lang: string; body: string }> =>
  [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await main(args, { stdin: Readable.from(['']), stdout, stderr, stderrIsTTY: false });
  return { code, out: Buffer.concat(chunks.out).toString(), err: Buffer.concat(chunks.err).toString() };
}

describe('docs/rule-authoring.zh.md', () => {
  it('its example pack has no diagnostic and every example passes', () => {
    const { pack, diagnostics } = validatePack(PACK_FILE);
    expect(diagnostics).toEqual([]);
    const { results, diagnostics: failures } = runExamples(compilePack(pack!));
    expect(results.length).toBe(13);
    expect(failures).toEqual([]);
  });

  it('every complete pack among its YAML blocks validates', () => {
    const yaml = blocks(DOC).filter((b) => b.lang === 'yaml');
    expect(yaml.length).toBeGreaterThan(10);
    for (const b of yaml) {
      if (!/^id: /m.test(b.body) || !/^rules:/m.test(b.body) || b.body.includes('…')) continue;
      expect(validatePack({ text: b.body, file: 'doc-block.yaml' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });

  it('its snippets of the example pack are taken from it, and parse as YAML', () => {
    const names = Object.keys((parse(PACK_TEXT) as { facts: object }).facts);
    let checked = 0;
    for (const b of blocks(DOC).filter((x) => x.lang === 'yaml')) {
      if (!b.body.includes('…')) expect(() => parse(b.body)).not.toThrow();
      if (!names.some((n) => b.body.includes(n))) continue;
      for (const raw of b.body.split('\n')) {
        const line = raw.replace(/\s+#.*$/, '').trim().replace(/^- /, '');
        if (!/[{[]/.test(line) || line.includes('…')) continue;
        expect(PACK_TEXT, line).toContain(line);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('shows the output explain prints', async () => {
    const finding = blocks(DOC).find((b) => b.lang === 'json')!.body;
    const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'hr-doc-'));
    const file = join(dir, 'finding.json');
    (await import('node:fs')).writeFileSync(file, finding);
    const { code, out } = await run(['explain', '--rules', join(ROOT, 'examples', 'packs'), file]);
    expect(code).toBe(0);
    const shown = blocks(DOC).find((b) => b.lang === '' && b.body.startsWith('[YH-1] warehouse-demo-2026'))!.body;
    expect(out).toBe(shown);
  });

  it('shows the diagnostics validate prints for the two mistakes it describes', async () => {
    const shown = blocks(DOC).find((b) => b.lang === '' && b.body.includes('unknown-operator'))!.body.trim().split('\n');
    const broken = PACK_TEXT.replace('greaterThanInclusive', 'greaterThanInclusiv').replace('ratio: [overstock_kg, approved_kg]', 'ratio: [overstock_kg, approved_kgs]');
    const { diagnostics } = validatePack({ text: broken, file: 'examples/packs/warehouse-demo-2026.yaml' });
    const actual = diagnostics.map((d) => api.formatDiagnostic(d, 'both'));
    expect(actual).toHaveLength(2);
    // The doc shortens the English half to "…".
    for (const [i, line] of shown.slice(0, 2).entries()) expect(actual[i]!.startsWith(line.replace(/ …$/, ''))).toBe(true);
    expect(shown[2]).toBe('1 file(s): 2 error(s), 0 warning(s)');
  });

  it('names only diagnostic codes that exist', () => {
    const named = [...DOC.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]!).filter((c) => !/^(rule-pack|hazard-rules|yaml-language-server)$/.test(c));
    const codes = new Set<string>(DIAGNOSTIC_CODES);
    const known = named.filter((c) => codes.has(c));
    expect(known.length).toBeGreaterThan(10);
    for (const c of ['unknown-fact', 'unknown-operator', 'full-width-character', 'example-mismatch', 'table-overlap', 'table-gap', 'undeclared-default']) expect(codes.has(c), c).toBe(true);
  });
});

describe('README API reference', () => {
  it('names every export of src/index.ts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## API reference'));
    const runtime = Object.keys(api);
    const types = [...readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8').matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
    const missing = [...runtime, ...types].filter((name) => !new RegExp(`\\b${name}\\b`).test(section));
    expect(missing).toEqual([]);
  });
});
