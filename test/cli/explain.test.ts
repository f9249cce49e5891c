import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixture } from '../helpers/packs.js';


const dir = mkdtempSync(join(tmpdir(), 'hr-explain-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

describe('hazard-rules explain', () => {
  const finding = { id: 'YH-1', standard: 'fireworks', observed_at: '2026-03-02', facts: { actual_persons_present: 8, approved_max_persons: 6 } };

  it('prints every rule with its status, and each leaf against its threshold', async () => {
    const { code, out } = await run(['explain', file('f.json', finding)]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('[YH-1] fireworks-2017 v1.0.0, judged on 2026-03-02: major');
    expect(lines[1]).toBe('  1 matched, 0 not matched, 0 unknown, 19 not reached, 0 not in force');
    expect(out).toContain('✔ matched      FW2017-04 第四项 四、工（库）房实际作业人员数量超过核定人数。\n      ✔ actual_persons_present = 8 persons  >  approved_max_persons = 6 persons');
    expect(out).toContain('· not reached  FW2017-01 第一项');
    expect(lines.filter((l) => /^(✔|✘|\?|·|⌀) /.test(l))).toHaveLength(20);
  });

  it('--json gives the explanation as JSON, and - reads stdin', async () => {
    const { code, out } = await run(['explain', '--json', '-'], JSON.stringify(finding));
    expect(code).toBe(0);
    const e = JSON.parse(out);
    expect(e.rules).toHaveLength(20);
    expect(e.verdict.level).toBe('major');
    expect(e.rules.find((r: { rule: string }) => r.rule === 'FW2017-04')).toMatchObject({ status: 'matched', when: { kind: 'leaf', value: 'true' } });
  });

  it('explains with --rules packs, derived facts included', async () => {
    const f = file('d.json', { standard: 'synthetic', observed_at: '2026-03-02', facts: { monthly_output_t: 120, monthly_plan_t: 100 } });
    const { code, out } = await run(['explain', '--rules', fixture('packs', 'synthetic'), f]);
    expect(code).toBe(0);
    expect(out).toContain('✔ monthly_output_t = 120 t  >  capacity_110_t = 110 t [product of monthly_plan_t = 100 t, 1.1]');
  });

  it('reports bad input: not JSON or a bad finding (exit 2), a missing file (exit 64)', async () => {
    expect((await run(['explain', file('bad.json', '{')])).code).toBe(2);
    const bad = await run(['explain', file('bad2.json', { standard: 'fireworks', observed_at: '2026-03-02', facts: { nope: 1 } })]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown-fact');
    expect((await run(['explain', join(dir, 'absent.json')])).code).toBe(64);
    expect((await run(['explain'])).code).toBe(64);
  });

  it('is in --help', async () => {
    const { out } = await run(['--help']);
    expect(out).toContain('hazard-rules explain [--json]');
    expect(out).toContain('hazard-rules report <findings.ndjson>');
  });
});
