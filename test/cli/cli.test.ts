import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fixture, ROOT } from '../helpers/packs.js';

/** Runs the CLI in-process and captures what it writes. */
async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await main(args, { stdin: Readable.from([stdin]), stdout, stderr, stderrIsTTY: false });
  return { code, out: Buffer.concat(chunks.out).toString(), err: Buffer.concat(chunks.err).toString() };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'hr-cli-'));

describe('hazard-rules list', () => {
  it('--json lists the fireworks pack with one rule per clause', async () => {
    const { code, out } = await run(['list', '--json']);
    expect(code).toBe(0);
    const packs = JSON.parse(out);
    const fw = packs.find((p: { id: string }) => p.id === 'fireworks-2017');
    expect(fw).toMatchObject({ standard: 'fireworks', version: '1.0.0', effective_from: '2017-11-13', effective_to: null });
    expect(fw.rules).toHaveLength(20);
    expect(fw.rules[0]).toEqual({ id: 'FW2017-01', clause: '第一项', text: '一、主要负责人、安全生产管理人员未依法经考核合格。', unverified: false });
  });
});

describe('hazard-rules validate', () => {
  it('reports the three mistakes as file:line:col code message and exits 1', async () => {
    const file = fixture('three-problems.yaml');
    const { code, out } = await run(['validate', file, '--lang', 'en']);
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toEqual([
      `${file}:43:6 yaml-indentation bad indentation: this line is not aligned with the other keys at its level (Implicit keys need to be on a single line)`,
      `${file}:23:13 unknown-fact fact "actual_person_present" is not declared (did you mean "actual_persons_present"?)`,
      `${file}:36:14 enum-value-undeclared "retial" is not a declared value of fact "enterprise_category" (declared: production, wholesale, retail)`,
    ]);
  });

  it('prints Chinese and English by default, and exits 0 on the bundled packs', async () => {
    const bad = await run(['validate', fixture('three-problems.yaml')]);
    expect(bad.out).toContain('未声明的事实 “actual_person_present”');
    expect(bad.out).toContain('| fact "actual_person_present" is not declared');
    expect((await run(['validate'])).code).toBe(0);
  });
});

describe('hazard-rules test', () => {
  it('runs every example and ends with N passed, N failed', async () => {
    const { code, out } = await run(['test', 'fireworks-2017']);
    expect(code).toBe(0);
    expect(out.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
  });

  it('fails, naming the example, when an example is wrong', async () => {
    const { code, out } = await run(['test', fixture('broken', 'example-mismatch.yaml')]);
    expect(code).toBe(1);
    expect(out).toContain('R1 example 2: expected major, got general');
    expect(out.trim().split('\n').at(-1)).toBe('2 passed, 1 failed');
  });
});

describe('hazard-rules classify', () => {
  it('writes one NDJSON verdict per line with level, matches, missing and pack', async () => {
    const input = [
      JSON.stringify({ id: 'a', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8, approved_max_persons: 6 } }),
      JSON.stringify({ id: 'b', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8 } }),
    ].join('\n');
    const { code, out, err } = await run(['classify', '-'], input);
    expect(code).toBe(0);
    const verdicts = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(verdicts.map((v) => [v.id, v.level])).toEqual([['a', 'major'], ['b', 'undetermined']]);
    for (const v of verdicts) expect(Object.keys(v)).toEqual(expect.arrayContaining(['level', 'matches', 'missing', 'pack']));
    expect(verdicts[1].missing[0].facts).toEqual(['approved_max_persons']);
    expect(err).toContain('2 judged');
  });

  it('reports malformed and invalid lines with their line number, goes on, and exits 2', async () => {
    const dir = tmp();
    const file = join(dir, 'f.ndjson');
    const general = '{"standard":"fireworks","observed_at":"2026-03-02","facts":{"actual_persons_present":6,"approved_max_persons":6}}';
    writeFileSync(file, [general, '{not json', '{"standard":"fireworks","facts":{"actual_persons_prsent":1}}', '', general, '{"standard":"fireworks","observed_at":"2026-03-02","facts":{}}'].join('\n'));
    const { code, out, err } = await run(['classify', file]);
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(err).toContain(`${file}:2: malformed JSON`);
    expect(err).toContain(`${file}:3: unknown-fact`);
    expect(err).toContain(`${file}:6: no-rule-reached`);
    expect(err).toContain('2 judged (0 major, 2 general, 0 undetermined), 3 failed (lines 2, 3, 6)');
  });

  it('--standard applies to findings that name none', async () => {
    const { out } = await run(['classify', '--standard', 'fireworks', '-'], '{"observed_at":"2026-01-01","facts":{"open_flame_used_in_retail_premises":true}}');
    expect(JSON.parse(out).level).toBe('major');
  });

  it('--site judges a site', async () => {
    const { code, out } = await run(['classify', '--site', join(ROOT, 'examples', 'site.json'), '--rules', fixture('packs', 'fire-safety')]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ level: 'major', path: 'comprehensive', branch: ['5.3.3a'] });
  });
});

describe('the built executable', () => {
  it('runs as `hazard-rules` from dist (ESM and CJS entry points load)', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'list', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).some((p: { id: string }) => p.id === 'fireworks-2017')).toBe(true);
    const cjs = spawnSync(process.execPath, ['-e', `const h = require(${JSON.stringify(join(ROOT, 'dist', 'index.cjs'))}); console.log(h.createEngine().packs.length)`], { encoding: 'utf8' });
    expect(cjs.stderr).toBe('');
    expect(Number(cjs.stdout)).toBeGreaterThan(0);
  });
});

describe('hazard-rules classify, streaming', () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, standard: 'fireworks', observed_at: '2026-01-01', facts: { actual_persons_present: i % 9, approved_max_persons: 6 } })).join('\n');

  it('waits for a slow reader (backpressure) and loses nothing', async () => {
    const { Writable } = await import('node:stream');
    const received: Buffer[] = [];
    let pauses = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        pauses++;
        setTimeout(done, 1);
      },
    });
    const stderr = new PassThrough();
    stderr.resume();
    const code = await main(['classify', '-'], { stdin: Readable.from([lines(20_000)]), stdout: slow, stderr, stderrIsTTY: false });
    expect(code).toBe(0);
    const out = Buffer.concat(received).toString().trim().split('\n');
    expect(out).toHaveLength(20_000);
    expect(out.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(pauses).toBeGreaterThan(1);
  });

  it('shows a progress line on stderr only when it is a terminal', async () => {
    const run = async (tty: boolean) => {
      const stdout = new PassThrough();
      stdout.resume();
      const stderr = new PassThrough();
      const err: Buffer[] = [];
      stderr.on('data', (c: Buffer) => err.push(c));
      await main(['classify', '-'], { stdin: Readable.from([lines(100)]), stdout, stderr, stderrIsTTY: tty });
      return Buffer.concat(err).toString();
    };
    expect(await run(true)).toMatch(/\r\d+ lines, [\d,]+\/s/);
    expect(await run(false)).not.toContain('\r');
  });
});
