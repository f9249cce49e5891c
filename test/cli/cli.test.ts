import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { run } from '../helpers/cli.js';
import { fixture, ROOT } from '../helpers/packs.js';


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

  it('--site judges a site by the real pack, naming the unverified branch it rests on', async () => {
    const { code, out } = await run(['classify', '--site', join(ROOT, 'examples', 'site.json')]);
    expect(code).toBe(0);
    const verdict = JSON.parse(out);
    expect(verdict).toMatchObject({ level: 'major', path: 'comprehensive', branch: ['5.3.3a'], pack: { id: 'fire-safety-2017' } });
    expect(verdict.caveats).toContainEqual(expect.objectContaining({ kind: 'unverified-rule', rule: '5.3.3a' }));
  });

  it('--site on a 2026-dated site: undetermined, the 2025 edition\'s gap named (never the 2017 answer)', async () => {
    const { code, out } = await run(['classify', '--site', join(ROOT, 'examples', 'fire-safety-site-2026.json')]);
    expect(code).toBe(0);
    const verdict = JSON.parse(out);
    expect(verdict).toMatchObject({ level: 'undetermined', pack: { id: 'fire-safety-2025' } });
    expect(verdict.missing).toContainEqual(expect.objectContaining({ reason: 'edition-text-not-encoded' }));
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

describe('what a safety engineer types', () => {
  const general = '{"standard":"fireworks","observed_at":"2026-03-02","facts":{"actual_persons_present":6,"approved_max_persons":6}}';
  const major = '{"standard":"fireworks","observed_at":"2026-03-02","facts":{"actual_persons_present":7,"approved_max_persons":6}}';

  it('test and validate take a standard id or a pack id', async () => {
    const byStandard = await run(['test', 'fireworks']);
    expect(byStandard.code).toBe(0);
    expect(byStandard.out).toMatch(/104 passed, 0 failed/);
    const byPack = await run(['validate', 'fireworks-2017']);
    expect(byPack.code).toBe(0);
    expect(byPack.err).toContain('1 file(s): 0 error(s)');
  });

  it('refuses a malformed --today, a directory as input, and a stray file beside --site (exit 64)', async () => {
    expect((await run(['classify', '--today', '2026-6-30', '-'], general)).code).toBe(64);
    expect((await run(['classify', '--today', 'garbage', '-'], general)).err).toContain('--today takes a calendar date');
    const dir = await run(['classify', join(ROOT, 'examples')]);
    expect(dir).toMatchObject({ code: 64 });
    expect(dir.err).toContain('is a directory');
    const stray = await run(['classify', '--site', join(ROOT, 'examples', 'site.json'), 'extra.ndjson']);
    expect(stray.code).toBe(64);
  });

  it('a broken --rules pack gets its diagnostics at file:line:col and exit 1, not a stack trace', async () => {
    const broken = fixture('broken', 'unknown-fact.yaml');
    const { code, err } = await run(['classify', '--rules', broken, '-'], general);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ unknown-fact`));
    expect(err).not.toContain('at ');
  });

  it('a pack whose own examples fail is refused when loaded with --rules', async () => {
    const { code, err } = await run(['classify', '--rules', fixture('broken', 'example-mismatch.yaml'), '-'], general);
    expect(code).toBe(1);
    expect(err).toContain('example-mismatch');
  });

  it('overlapping editions are named, exit 1', async () => {
    const dir = tmp();
    const copy = (id: string) =>
      writeFileSync(join(dir, `${id}.yaml`), readFileSync(join(ROOT, 'rules', 'fireworks', '2017.yaml'), 'utf8').replace(/^id: fireworks-2017$/m, `id: ${id}`));
    copy('fireworks-a');
    copy('fireworks-b');
    const { code, err } = await run(['classify', '--rules', dir, '-'], general);
    expect(code).toBe(1);
    expect(err).toContain('edition-overlap');
  });

  it('accepts a UTF-8 BOM in NDJSON and site files', async () => {
    const { code, out } = await run(['classify', '-'], `\uFEFF${major}\n`);
    expect(code).toBe(0);
    expect(JSON.parse(out).level).toBe('major');
    const dir = tmp();
    const site = join(dir, 'site.json');
    writeFileSync(site, `\uFEFF${readFileSync(join(ROOT, 'examples', 'site.json'), 'utf8')}`);
    expect((await run(['classify', '--site', site])).code).toBe(0);
  });

  it('reports invalid UTF-8 per line and judges the others', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, Buffer.concat([Buffer.from(`${general}\n`), Buffer.from('{"standard":"fireworks","facts":{"x\xff":1}}\n', 'latin1'), Buffer.from(`${major}\n`)]));
    const { code, out, err } = await run(['classify', file]);
    expect(code).toBe(2);
    expect(out.trim().split('\n').map((l) => JSON.parse(l).level)).toEqual(['general', 'major']);
    expect(err).toContain(`${file}:2: invalid-utf8`);
  });

  it('a line with a meta nested too deeply is reported and the batch goes on', async () => {
    const deep = `{"standard":"fireworks","observed_at":"2026-03-02","facts":{"actual_persons_present":7,"approved_max_persons":6},"meta":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { code, out, err } = await run(['classify', '-'], [general, deep, major].join('\n'));
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(err).toMatch(/<stdin>:2: (bad-value|too-deep)/);
  });

  it('a line longer than the cap is reported, the rest judged, in time linear in its length', async () => {
    const dir = tmp();
    const file = join(dir, 'long.ndjson');
    const long = `{"standard":"fireworks","meta":"${'x'.repeat(20 * 1024 * 1024)}","facts":{}}`;
    writeFileSync(file, [general, long, major].join('\n'));
    const { code, out, err } = await run(['classify', file]);
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(err).toContain(`${file}:2: line-too-long`);
  });
});

describe('wholeLines', () => {
  it('cuts chunks into whole lines and skips an overlong line to its newline', async () => {
    const { wholeLines } = await import('../../src/cli/classify.js');
    const chunks = ['ab\ncd', 'ef', 'ghij', 'kl\nmn\n', 'op'].map((s) => Buffer.from(s));
    const pieces: string[] = [];
    for await (const p of wholeLines(Readable.from(chunks), 6, () => {})) pieces.push('block' in p ? p.block.toString() : `overlong:${p.overlong}`);
    expect(pieces).toEqual(['ab\n', 'overlong:10', 'mn\n', 'op']);
  });
});

describe('hazard-rules grade', () => {
  it('grades the example registry A, B, C, D (and the mine) with reasons, streaming NDJSON', async () => {
    const { code, out, err } = await run(['grade', join(ROOT, 'examples', 'grading', 'registry.ndjson'), '--as-of', '2026-06-15']);
    expect(code).toBe(0);
    const results = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.letter)).toEqual(['A', 'B', 'C', 'D', 'B']);
    expect(results[3].reasons[0]).toMatchObject({ rule: 'V4', kind: 'veto' });
    expect(err).toContain('5 graded (1 A, 2 B, 1 C, 1 D), 0 failed');
  });

  it('--scheme takes another scheme; its letters come with their meaning', async () => {
    const { code, out } = await run(['grade', join(ROOT, 'examples', 'grading', 'chemical-park.json'), '--scheme', 'chemical-park-2023', '--as-of', '2026-06-15', '--pretty']);
    expect(code).toBe(0);
    expect(out).toContain('B — 较高安全风险');
  });

  it('a bad scheme file gets its diagnostics at file:line:col and exit 1', async () => {
    const file = fixture('broken-schemes', 'unknown-letter.yaml');
    const { code, err } = await run(['grade', join(ROOT, 'examples', 'grading', 'enterprise-a.json'), '--scheme', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/unknown-letter\.yaml:26:\d+ unknown-letter/);
  });

  it('a profile that cannot be graded is reported with its line; the registry goes on (exit 2)', async () => {
    const good = readFileSync(join(ROOT, 'examples', 'grading', 'registry.ndjson'), 'utf8').split('\n')[0];
    const bad = JSON.stringify({ id: 'X', facts: { inherent_risk: 'low', standardization: 'level1' }, hazards: [{ id: 'H', verdict: { level: 'major' }, found_on: '2026-03-01', closed_on: '2026-04-01' }] });
    const { code, out, err } = await run(['grade', '-', '--as-of', '2026-06-15'], [good, bad, good].join('\n'));
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(err).toContain('<stdin>:2: impossible-history: enterprise X, hazard H');
  });
});
