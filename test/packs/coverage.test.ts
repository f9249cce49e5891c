/** The README's coverage table is the bundled packs' own (scripts/coverage.mjs writes it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/packs.js';

describe('README coverage table', () => {
  it('lists every bundled edition with its rule count and provenance (run `node scripts/coverage.mjs`)', async () => {
    const { coverageTable } = (await import(join(ROOT, 'scripts', 'coverage.mjs'))) as { coverageTable: () => string };
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = /<!-- coverage -->\n([\s\S]*?)\n<!-- \/coverage -->/.exec(readme)?.[1];
    expect(table).toBe(coverageTable());
  });
});
