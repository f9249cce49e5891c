import { describe, expect, it } from 'vitest';
import { parsePackText } from '../../src/pack/load.js';
import { validatePack } from '../../src/pipeline.js';

describe('hostile YAML', () => {
  it('bounds an alias bomb (billion laughs) and says so', () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const started = Date.now();
    const loaded = parsePackText(lines.join('\n'));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(loaded.data).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
  });

  it('never lets __proto__, constructor or prototype keys reach Object.prototype', () => {
    const text = '__proto__: { polluted: true }\nfacts:\n  constructor: { prototype: { polluted: true } }\n';
    const result = validatePack({ text });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(result.diagnostics.filter((d) => d.code === 'forbidden-key').map((d) => d.line)).toEqual([1, 3, 3]);
  });

  it('refuses a 20 MB file with a clear diagnostic, quickly', () => {
    const text = `notes: "${'x'.repeat(20 * 1024 * 1024)}"\n`;
    const started = Date.now();
    const { diagnostics } = validatePack({ text, file: 'huge.yaml' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
    expect(diagnostics[0]!.message.en).toContain('20971');
  });

  it('rejects a second document in one file', () => {
    expect(parsePackText('a: 1\n---\nb: 2\n').diagnostics.map((d) => d.code)).toEqual(['yaml-multiple-documents']);
  });

  it('reads YAML 1.2: yes/no/on stay strings, dates stay strings', () => {
    const loaded = parsePackText('a: yes\nb: no\nc: 2026-01-01\nd: 0x10\n');
    expect(loaded.data).toEqual({ a: 'yes', b: 'no', c: '2026-01-01', d: 16 });
  });

  it('locates keys and values by path', () => {
    const loaded = parsePackText('a:\n  b:\n    - x\n    - y: 1\n');
    expect(loaded.locate(['a', 'b', 1, 'y'], 'key')).toEqual({ line: 4, col: 7 });
    expect(loaded.locate(['a', 'b', 1, 'y'])).toEqual({ line: 4, col: 10 });
  });
});
