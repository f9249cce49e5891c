/**
 * classifyParallel runs on worker threads, whose script exists only in the build (dist/): this
 * suite imports the built library (`npm test` builds before it tests).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/packs.js';

const { createEngine } = (await import(join(ROOT, 'dist', 'index.js'))) as typeof import('../../src/index.js');

describe('engine.classifyParallel', () => {
  const engine = createEngine({ today: () => '2026-11-23' });

  it('gives exactly what classifyMany gives, in input order, bad findings as error entries', async () => {
    const findings = Array.from({ length: 5000 }, (_, i) => ({
      id: i,
      standard: 'fireworks',
      ...(i % 3 === 0 ? {} : { observed_at: '2026-01-01' }),
      facts: i % 997 === 0 ? { not_a_fact: true } : { actual_persons_present: i % 9, approved_max_persons: i % 7 },
    }));
    const parallel = await engine.classifyParallel(findings, { workers: 3, batchSize: 128 });
    expect(parallel).toEqual(engine.classifyMany(findings, { errors: 'collect' }));
    expect(parallel.filter((r) => 'error' in r).map((r) => r.id)).toEqual([0, 997, 1994, 2991, 3988, 4985]);
  });

  it('keeps order whatever the batch size and worker count (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 3 }), async (n, batchSize, workers) => {
        const findings = Array.from({ length: n }, (_, i) => ({ id: i, standard: 'fireworks', observed_at: '2026-01-01', facts: { actual_persons_present: i % 5, approved_max_persons: 2 } }));
        const results = await engine.classifyParallel(findings, { workers, batchSize });
        expect(results.map((r) => r.id)).toEqual(findings.map((f) => f.id));
      }),
      { numRuns: 8 },
    );
  });
});
