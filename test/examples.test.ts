/** The runnable examples in examples/: each is run against dist/ (built by `npm test` first) and its output checked. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/packs.js';

function example(name: string): string[] {
  const r = spawnSync(process.execPath, [join(ROOT, 'examples', name)], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trimEnd().split('\n');
}

describe('examples/', () => {
  it('api-classify.mjs classifies the example findings and explains the first', () => {
    const out = example('api-classify.mjs');
    expect(out.slice(0, 6).map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual([
      'YH-2026-0001 major',
      'YH-2026-0002 general',
      'YH-2026-0003 undetermined',
      'YH-2026-0004 major',
      'YH-2026-0005 major',
      'YH-2026-0006 general',
    ]);
    expect(out[0]).toContain('第四项 四、工（库）房实际作业人员数量超过核定人数。');
    expect(out).toContain('[YH-2026-0001] fireworks-2017 v1.0.0, judged on 2026-03-02: major');
    expect(out).toContain('      ✔ actual_persons_present = 8 persons  >  approved_max_persons = 6 persons');
  });

  it('api-site.mjs judges the example site major by comprehensive determination', () => {
    const out = example('api-site.mjs');
    expect(out[0]).toBe('site: major (comprehensive) on fire-safety-2017');
    expect(out).toContain('  met\tF17-7.3.1\t7.3.1\t← XF-01, XF-04');
    expect(out).toContain('  branch 5.3.3a: applies yes, 3 met of at least 3');
  });

  it('custom-pack.mjs reports the mistake with its place, then judges with the corrected pack', () => {
    expect(example('custom-pack.mjs')).toEqual([
      'warehouse.yaml:17:40 unknown-operator unknown operator "greaterThen" (did you mean "greaterThan"?)',
      '{"stored_kg":150,"approved_kg":100} → major',
      '{"stored_kg":90,"approved_kg":100} → general',
      '{"stored_kg":150} → undetermined (missing approved_kg)',
    ]);
  });

  it('json-rules-engine.mjs exports the pack and agrees with hazard-rules', () => {
    const out = example('json-rules-engine.mjs');
    expect(out[0]).toBe('20 json-rules-engine rules, 0 computed facts');
    expect(JSON.parse(out[1]!)).toMatchObject({ name: 'FW2017-04', event: { type: 'major', params: { rule: 'FW2017-04' } } });
    expect(out.slice(2)).toEqual(['json-rules-engine fired: FW2017-04', 'hazard-rules: major by FW2017-04', 'agree: true']);
  });
});
