/**
 * The package as a user installs it: `npm pack`, the tarball installed into an empty project,
 * then ESM import and CJS require of both entries, a consumer's TypeScript checked against the
 * shipped declarations, the `hazard-rules` executable, and the bundled packs and schemas found
 * inside node_modules (not in this source tree). Needs dist/ (`npm test` builds it first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/packs.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const project = realpathSync(mkdtempSync(join(tmpdir(), 'hr-consumer-')));
const installed = join(project, 'node_modules', 'hazard-rules');
const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
const fastCheckVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'fast-check', 'package.json'), 'utf8')).version as string;

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: build first (npm test does: tsup before vitest)');
  // --ignore-scripts: `prepare` would rebuild (and first clean) dist/ under the other suites' feet.
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' });
  const tarball = join(project, (JSON.parse(packed) as Array<{ filename: string }>)[0]!.filename);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync(npm, ['install', tarball, `fast-check@${fastCheckVersion}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
  });
}, 150_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

const FINDING = { standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8, approved_max_persons: 6 } };

describe('the installed package', () => {
  it('ships dist, rules and schemas, and not the sources or tests', () => {
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing.js', 'dist/cli.js', 'dist/packs.json', 'rules/fireworks/2017.yaml', 'schemas/rule-pack.schema.json', 'README.md']) {
      expect(existsSync(join(installed, f)), f).toBe(true);
    }
    for (const f of ['src', 'test', 'bench']) expect(existsSync(join(installed, f)), f).toBe(false);
  });

  it('imports as ESM, both entries, and judges on the bundled packs found in node_modules', () => {
    const script = `
      import { createEngine, bundledPackFiles, validatePack } from 'hazard-rules';
      import { findingArbitrary } from 'hazard-rules/testing';
      import { createRequire } from 'node:module';
      const engine = createEngine();
      const v = engine.classify(${JSON.stringify(FINDING)});
      const schema = createRequire(import.meta.url).resolve('hazard-rules/schemas/rule-pack.schema.json');
      console.log(JSON.stringify({ level: v.level, pack: v.pack.id, files: bundledPackFiles(), schema,
        arbitrary: typeof findingArbitrary, valid: validatePack(bundledPackFiles()[0]).diagnostics.length === 0 }));`;
    const r = node(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ level: 'major', pack: 'fireworks-2017', arbitrary: 'function', valid: true });
    expect(out.files.length).toBeGreaterThan(0);
    for (const f of out.files) expect(f.startsWith(installed)).toBe(true);
    expect(out.schema).toBe(join(installed, 'schemas', 'rule-pack.schema.json'));
  });

  it('requires as CJS, both entries', () => {
    const script = `
      const { createEngine } = require('hazard-rules');
      const testing = require('hazard-rules/testing');
      const v = createEngine().classify(${JSON.stringify(FINDING)});
      console.log(JSON.stringify({ level: v.level, matched: v.matches.map((m) => m.rule), arbitrary: typeof testing.findingArbitrary }));`;
    const r = node(['-e', script]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ level: 'major', matched: ['FW2017-04'], arbitrary: 'function' });
  });

  it('type-checks a consumer against the shipped declarations (node16 and bundler resolution)', () => {
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'src', 'consumer.ts'),
      `import { createEngine, type Verdict, type FindingExplanation, HazardRulesError } from 'hazard-rules';
import { findingArbitrary } from 'hazard-rules/testing';
const engine = createEngine();
const verdict: Verdict = engine.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8 } });
const level: 'major' | 'general' | 'undetermined' = verdict.level;
const why: FindingExplanation = engine.explain({ standard: 'fireworks', facts: { actual_persons_present: 8 } });
const status: string = why.rules[0]!.status;
const arbitrary = findingArbitrary(engine.pack('fireworks-2017'));
export { level, status, arbitrary, HazardRulesError };
`,
    );
    writeFileSync(join(project, 'src', 'wrong.ts'), `import { createEngine } from 'hazard-rules';\nexport const n: number = createEngine().classify({ facts: {} }).level;\n`);
    // node16 (a CJS consumer: the .d.cts) checks the shipped declarations themselves
    // (skipLibCheck: false); bundler (the ESM .d.ts) as most projects set it up. Both files in
    // one run each: consumer.ts must pass, and wrong.ts must fail — the types are real, not any.
    for (const [module, resolution, skipLibCheck] of [['node16', 'node16', false], ['esnext', 'bundler', true]] as const) {
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck, types: [] }, files: ['src/consumer.ts', 'src/wrong.ts'] }),
      );
      const r = spawnSync(tsc, ['-p', project], { cwd: project, encoding: 'utf8', timeout: 60_000 });
      const errors = (r.stdout + r.stderr).split('\n').filter((l) => /^\S/.test(l));
      expect(errors, resolution).toEqual([expect.stringMatching(/^src\/wrong\.ts\(2,\d+\): error TS2322: .* is not assignable to type 'number'/)]);
    }
  }, 120_000);

  it('runs `npx hazard-rules list` and `explain` from the installed bin', () => {
    const list = spawnSync('npx', ['--no-install', 'hazard-rules', 'list'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^fireworks-2017 {2}v1\.0\.0/m);
    writeFileSync(join(project, 'finding.json'), JSON.stringify(FINDING));
    const why = spawnSync(join(project, 'node_modules', '.bin', 'hazard-rules'), ['explain', 'finding.json'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
    expect(why.status).toBe(0);
    expect(why.stdout).toContain('✔ matched      FW2017-04');
  });
});
