import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/pack/diagnostics.js';
import { validatePack } from '../../src/pipeline.js';
import { validateScheme } from '../../src/grade/index.js';
import { fixture } from '../helpers/packs.js';

const brokenDir = fixture('broken');
const brokenFiles = readdirSync(brokenDir).filter((f) => f.endsWith('.yaml')).sort();
/** Broken grading schemes: the codes only schemes can raise. */
const brokenSchemeDir = fixture('broken-schemes');
const brokenSchemeFiles = readdirSync(brokenSchemeDir).filter((f) => f.endsWith('.yaml')).sort();

/** Each broken fixture names its code on line 1 and marks the line it must be reported at. */
function expectation(file: string, dir = brokenDir): { code: string; line: number } {
  const text = readFileSync(join(dir, file), 'utf8');
  const code = /^# expect: (\S+)/.exec(text)![1]!;
  const line = text.split('\n').findIndex((l) => l.includes('# here')) + 1;
  return { code, line };
}

describe('one broken pack per diagnostic code', () => {
  it.each(brokenFiles)('%s reports its code at the marked line', (file) => {
    const { code, line } = expectation(file);
    const { diagnostics, pack } = validatePack(join(brokenDir, file));
    const hits = diagnostics.filter((d) => d.code === code);
    // An error blocks the pack; a warning (unused-default) does not.
    if (hits.some((d) => d.severity === 'error')) expect(pack).toBeUndefined();
    else expect(pack).toBeDefined();
    expect(hits.map((d) => `${d.code}@${d.line}`)).toContain(`${code}@${line}`);
    for (const d of hits) {
      expect(d.file).toBe(join(brokenDir, file));
      expect(d.col).toBeGreaterThan(0);
      expect(d.message.zh.length).toBeGreaterThan(0);
      expect(d.message.en.length).toBeGreaterThan(0);
    }
  });

  it.each(brokenSchemeFiles)('scheme %s reports its code at the marked line', (file) => {
    const { code, line } = expectation(file, brokenSchemeDir);
    const { diagnostics, scheme } = validateScheme(join(brokenSchemeDir, file));
    expect(scheme).toBeUndefined();
    expect(diagnostics.map((d) => `${d.code}@${d.line}`)).toContain(`${code}@${line}`);
  });

  it('covers every diagnostic code (the codes without a YAML fixture are tested below)', () => {
    const covered = new Set([...brokenFiles.map((f) => expectation(f).code), ...brokenSchemeFiles.map((f) => expectation(f, brokenSchemeDir).code)]);
    const testedElsewhere = new Set(['file-unreadable', 'file-too-large', 'nesting-too-deep']);
    const uncovered = DIAGNOSTIC_CODES.filter((c) => !covered.has(c) && !testedElsewhere.has(c));
    expect(uncovered).toEqual([]);
  });
});

describe('diagnostics without a fixture file', () => {
  it('file-unreadable names the reason', () => {
    const { diagnostics } = validatePack('/nonexistent/pack.yaml');
    expect(diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
  });

  it('file-too-large refuses before parsing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hr-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(2048)}\n`);
    const { diagnostics } = validatePack(file, { maxBytes: 1024 });
    expect(diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
  });

  it('nesting-too-deep for data nested past the limit, without a stack overflow', () => {
    const depth = 10_000;
    const text = `id: deep\nnotes: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const { diagnostics } = validatePack({ text, file: 'deep.yaml' });
    // Alone: not after a yaml-syntax diagnostic quoting the parser's stack overflow.
    expect(diagnostics.map((d) => d.code)).toEqual(['nesting-too-deep']);
  });

  it('nesting-too-deep for a condition nested 10,000 deep given as data', () => {
    let condition: unknown = { fact: 'persons_present', operator: 'greaterThan', value: 1 };
    for (let i = 0; i < 10_000; i++) condition = { not: condition };
    const data = { id: 'deep', version: '1.0.0', rules: [{ id: 'R1', clause: 'x', text: 'x', text_en: 'x', when: condition, examples: [] }] };
    const { diagnostics } = validatePack({ data, file: 'deep.json' });
    expect(diagnostics.map((d) => d.code)).toEqual(['nesting-too-deep']);
  });
});

describe('the three mistakes of a domain expert', () => {
  it('reports a misspelt fact, an undeclared enum value and a bad indentation, each with line and column', () => {
    const { diagnostics } = validatePack(fixture('three-problems.yaml'));
    const found = diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);
    expect(found).toEqual(['yaml-indentation 43:6', 'unknown-fact 23:13', 'enum-value-undeclared 36:14']);
    expect(diagnostics[1]!.message.en).toContain('did you mean "actual_persons_present"');
  });
});

describe('a set fact default is type-checked', () => {
  const pack = (value: string) => `id: set-default
version: 1.0.0
title: 测试
title_en: Test
standard: { id: test, issuer: 测试, document_number: 测试〔2026〕1号, issued: 2026-01-01, effective_from: 2026-01-01 }
facts:
  uses: { type: set, kind: observation, values: [oxygen, acetylene], label: 使用气体, label_en: Gases used }
defaults:
  uses: { value: ${value}, reason: 测试, reason_en: Test }
rules:
  - id: R1
    clause: 第一项
    text: 测试。
    text_en: Test.
    assume: [uses]
    when: { fact: uses, operator: contains, value: oxygen }
    examples:
      - { facts: { uses: [oxygen] }, expect: major }
      - { facts: { uses: [acetylene] }, expect: general }
`;
  it('a string default of a set fact is refused (it would make contains match substrings)', () => {
    const { diagnostics } = validatePack({ text: pack('oxygen'), file: 'set.yaml' });
    expect(diagnostics.map((d) => `${d.code}@${d.line}`)).toContain('default-type-mismatch@9');
  });
  it('a list of declared values is accepted; an undeclared member is not', () => {
    expect(validatePack({ text: pack('[oxygen]'), file: 'set.yaml' }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(validatePack({ text: pack('[oxygn]'), file: 'set.yaml' }).diagnostics.map((d) => d.code)).toContain('default-type-mismatch');
  });
});
