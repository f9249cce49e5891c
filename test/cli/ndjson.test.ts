import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { inputSchemas, FINDING_KEYS } from '../../src/classify/finding.js';
import { judgeBlock, verdictJson } from '../../src/cli/ndjson.js';
import { findingArbitrary } from '../../src/testing/arbitraries.js';
import { allPackFiles, compiled, ROOT } from '../helpers/packs.js';

describe('verdictJson', () => {
  it.each(allPackFiles())('writes exactly JSON.stringify(verdict) (%s)', (file) => {
    const pack = compiled(file);
    const engine = createEngine({ packs: [pack] });
    fc.assert(
      fc.property(findingArbitrary(pack), fc.option(fc.oneof(fc.string(), fc.integer())), fc.option(fc.jsonValue()), (finding, id, meta) => {
        const verdict = engine.classify({ ...finding, ...(id === null ? {} : { id }), ...(meta === null ? {} : { meta }) });
        expect(verdictJson(verdict)).toBe(JSON.stringify(verdict));
      }),
      { numRuns: 100 },
    );
  });
});

describe('the finding envelope', () => {
  it('lists the same keys as the schema', () => {
    expect([...FINDING_KEYS].sort()).toEqual(Object.keys(inputSchemas().FindingSchema.shape).sort());
  });
});

describe('judgeBlock', () => {
  const engine = createEngine();
  it('numbers lines within the block, blank ones included, and tolerates CRLF', () => {
    const text = '{"standard":"fireworks","observed_at":"2026-01-01","facts":{"actual_persons_present":6,"approved_max_persons":6}}\r\n\n{oops\n{"standard":"fireworks","observed_at":"2026-01-01","facts":{"open_flame_used_in_retail_premises":true}}';
    const result = judgeBlock(engine, text, {});
    expect(result.lines).toBe(4);
    expect(result.counts).toEqual({ major: 1, general: 1, undetermined: 0 });
    expect(result.failures.map((f) => f.line)).toEqual([3]);
    expect(result.output.trim().split('\n')).toHaveLength(2);
  });

  it('refuses a line that is JSON but not an object', () => {
    expect(judgeBlock(engine, '[1,2]\n"x"\n', {}).failures.map((f) => f.line)).toEqual([1, 2]);
  });
});

describe('hazard-rules classify --workers (built CLI)', () => {
  it('gives the same output, in input order, as one thread; reports bad lines by their number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hr-workers-'));
    const file = join(dir, 'many.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      if (i === 12_345) lines.push('{broken');
      else lines.push(JSON.stringify({ id: i, standard: 'fireworks', observed_at: '2026-01-01', facts: { actual_persons_present: i % 9, approved_max_persons: 6 } }));
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const cli = join(ROOT, 'dist', 'cli.js');
    const single = spawnSync(process.execPath, [cli, 'classify', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const multi = spawnSync(process.execPath, [cli, 'classify', '--workers', '3', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    expect(single.status).toBe(2);
    expect(multi.status).toBe(2);
    expect(multi.stdout).toBe(single.stdout);
    expect(multi.stdout.trim().split('\n')).toHaveLength(29_999);
    expect(multi.stderr).toContain(`${file}:12346: malformed JSON`);
    expect(multi.stderr).toContain('29999 judged');
    const ids = multi.stdout.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ids.slice(12_340, 12_350)).toEqual([12340, 12341, 12342, 12343, 12344, 12346, 12347, 12348, 12349, 12350]);
  });

  it('refuses a bad --workers value', () => {
    const out = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'classify', '--workers', 'many', '-'], { encoding: 'utf8', input: '' });
    expect(out.status).toBe(64);
    expect(out.stderr).toContain('--workers takes a whole number');
  });

  it('writes no progress bar into a pipe', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'classify', '-'], { encoding: 'utf8', input: '{"standard":"fireworks","observed_at":"2026-01-01","facts":{"actual_persons_present":6,"approved_max_persons":6}}\n', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(out).not.toContain('\r');
  });
});
