import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packJsonSchema } from '../../src/pack/schema.js';
import { allPackFiles, ROOT } from '../helpers/packs.js';

describe('the JSON Schema', () => {
  it('checked in schemas/rule-pack.schema.json is exactly what the zod source generates (run `npm run schemas`)', () => {
    const checkedIn = JSON.parse(readFileSync(join(ROOT, 'schemas', 'rule-pack.schema.json'), 'utf8'));
    expect(checkedIn).toEqual(packJsonSchema());
  });

  it('is draft-07, the newest yaml-language-server reads', () => {
    expect(packJsonSchema().$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it.each(allPackFiles())('%s points editors at the schema', (file) => {
    const first = readFileSync(file, 'utf8').split('\n')[0]!;
    expect(first).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schemas\/rule-pack\.schema\.json$/);
    const relative = first.split('=')[1]!;
    expect(() => readFileSync(join(file, '..', relative))).not.toThrow();
  });
});
