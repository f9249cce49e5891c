/**
 * GB 45067—2024 特种设备重大事故隐患判定准则: the pack against its reference, item for item, and
 * the 「仍继续使用」 scope as a property (a stopped unit never meets an in-use item).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { factsArbitrary } from '../../src/testing/arbitraries.js';
import { compiled, ROOT } from '../helpers/packs.js';

const FILE = join(ROOT, 'rules', 'special-equipment', '2024.yaml');
const REFERENCES = join(ROOT, '..', 'shared', 'reference', 'standards');
const REFERENCE = join(REFERENCES, 'special-equipment.md');
const pack = compiled(FILE);
const rules = pack.source.rules;

/** The reference's clauses: lead-ins `> 4.2 …` and lettered items `> a) …`, in order. */
function referenceItems(): Array<{ clause: string; lead: string; item: string }> {
  const out: Array<{ clause: string; lead: string; item: string }> = [];
  let lead: { number: string; line: string } | undefined;
  for (const line of readFileSync(REFERENCE, 'utf8').split('\n')) {
    const l = /^> (4\.\d+) .+$/.exec(line);
    if (l) lead = { number: l[1]!, line: line.slice(2) };
    const i = /^> ([a-z])\) .+$/.exec(line);
    if (i && lead) out.push({ clause: `${lead.number} ${i[1]})`, lead: lead.line, item: line.slice(2) });
  }
  return out;
}

describe('the special-equipment pack (GB 45067—2024)', () => {
  it('is the standard special-equipment, in force from 2024-12-01 with no end', () => {
    expect(pack.id).toBe('special-equipment-2024');
    expect(pack.standard).toBe('special-equipment');
    expect(pack.effectiveFrom).toBe('2024-12-01');
    expect(pack.effectiveTo).toBeUndefined();
  });

  it.skipIf(!existsSync(REFERENCE))('has one rule per lettered item of 4.1–4.10, in order, except the cross-reference 4.1 d)', () => {
    const items = referenceItems();
    expect(items).toHaveLength(47);
    const counts = new Map<string, number>();
    for (const it of items) counts.set(it.clause.split(' ')[0]!, (counts.get(it.clause.split(' ')[0]!) ?? 0) + 1);
    expect([...counts.values()]).toEqual([4, 7, 6, 2, 3, 5, 5, 5, 5, 5]);
    const criteria = items.filter((i) => i.clause !== '4.1 d)');
    expect(criteria).toHaveLength(46);
    expect(rules.map((r) => r.clause)).toEqual(criteria.map((i) => i.clause));
    expect(rules.map((r) => r.id)).toEqual(criteria.map((i) => `SE24-${i.clause.replace(' ', '-').replace(')', '')}`));
    // Lead line and item, verbatim, one per line.
    expect(rules.map((r) => r.text)).toEqual(criteria.map((i) => `${i.lead}\n${i.item}`));
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('says why 4.1 d) is not a rule', () => {
    expect(pack.source.standard.note).toMatch(/4\.1 d\)/);
    expect(rules.some((r) => r.clause === '4.1 d)')).toBe(false);
  });

  it('carries the reference status VERBATIM-1 on every rule', () => {
    for (const rule of rules) expect((rule as { provenance?: string }).provenance, rule.id).toBe('verbatim-1');
  });

  it('scopes every 「仍继续使用」 item by in_use_at_inspection, and only those', () => {
    for (const rule of rules) {
      const inUse = rule.text.includes('仍继续使用');
      expect(JSON.stringify(rule.applies_when ?? {}).includes('"in_use_at_inspection"'), rule.id).toBe(inUse);
    }
    expect(rules.filter((r) => !r.text.includes('仍继续使用')).map((r) => r.clause)).toEqual(['4.5 a)', '4.5 b)']);
  });

  it('agrees with the shared vocabulary on in_use_at_inspection', () => {
    expect(pack.source.facts.in_use_at_inspection).toMatchObject({ type: 'boolean', kind: 'observation' });
  });

  describe('property: a stopped unit never meets a 「仍继续使用」 item', () => {
    const engine = createEngine({ packs: [FILE] });
    const inUseRules = new Set(rules.filter((r) => r.text.includes('仍继续使用')).map((r) => r.id));

    it('a stopped boiler, whatever else is recorded, matches no in-use rule', () => {
      fc.assert(
        fc.property(factsArbitrary(pack), (facts) => {
          const verdict = engine.classify({ standard: 'special-equipment', observed_at: '2025-06-01', facts: { ...facts, equipment_category: 'boiler', in_use_at_inspection: false } });
          expect(verdict.matches.filter((m) => inUseRules.has(m.rule))).toEqual([]);
        }),
        { numRuns: 400 },
      );
    });

    it('a stopped unit of any category matches no in-use rule', () => {
      fc.assert(
        fc.property(factsArbitrary(pack), (facts) => {
          const verdict = engine.classify({ standard: 'special-equipment', observed_at: '2025-06-01', facts: { ...facts, in_use_at_inspection: false } });
          expect(verdict.matches.filter((m) => inUseRules.has(m.rule))).toEqual([]);
        }),
        { numRuns: 400 },
      );
    });

    it('the same boiler defects in use are major (the property is not vacuous)', () => {
      const facts = { equipment_category: 'boiler', safety_valve_or_bursting_disc_present: false, safety_valve_or_bursting_disc_effective: false };
      expect(engine.classify({ standard: 'special-equipment', observed_at: '2025-06-01', facts: { ...facts, in_use_at_inspection: true } }).level).toBe('major');
      expect(engine.classify({ standard: 'special-equipment', observed_at: '2025-06-01', facts: { ...facts, in_use_at_inspection: false } }).level).toBe('general');
    });
  });

  it('has no edition before 2024-12-01', () => {
    const engine = createEngine({ packs: [FILE] });
    expect(() => engine.classify({ standard: 'special-equipment', observed_at: '2024-11-30', facts: { equipment_category: 'boiler', in_use_at_inspection: true } })).toThrow(/no encoded edition/);
  });
});
