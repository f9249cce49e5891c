/**
 * Properties of A–D grading, over every shipped scheme (fast-check):
 *  - monotone: adding an open 重大事故隐患, an accident or a veto fact never improves the grade;
 *  - clearing every open 重大事故隐患 (验收 passed, 销号) and nothing else never worsens it;
 *  - the grade does not depend on the order of hazards, accidents or penalties;
 *  - the same profile and day always give the same grade (and the profile is not mutated).
 * "Improves" is read on each scheme's own scale (lowest supervision need first), whatever its
 * letters: the chemical-park scheme runs D → A.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/classify/engine.js';
import { bundledSchemeFiles, resolveScheme, type CompiledScheme } from '../../src/grade/index.js';
import { leavesOf, params } from '../helpers/properties.js';

const engine = createEngine({ packs: [] as never[] });
const asOf = '2026-06-15';
const day = (offset: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

function profileArbitrary(scheme: CompiledScheme) {
  const facts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, f] of Object.entries(scheme.source.facts)) {
    facts[name] =
      f.type === 'boolean'
        ? fc.boolean()
        : f.type === 'enum'
          ? fc.constantFrom(...f.values!)
          : f.type === 'set'
            ? fc.subarray([...f.values!])
            : fc.double({ min: f.min ?? 0, max: f.max ?? 100, noNaN: true });
  }
  const accident = fc.record({ date: fc.integer({ min: -900, max: 0 }).map(day), grade: fc.constantFrom('ordinary', 'larger', 'major', 'especially_major'), deaths: fc.integer({ min: 0, max: 12 }), responsible: fc.boolean(), concealed: fc.boolean() });
  const penalty = fc.record({ date: fc.integer({ min: -500, max: 0 }).map(day) });
  return fc.record({
    facts: fc.record(facts),
    accidents: fc.array(accident, { maxLength: 3 }),
    penalties: fc.array(penalty, { maxLength: 3 }),
    hazards: fc.array(hazardArbitrary(), { maxLength: 3 }),
  }).map((p) => ({ id: 'E', ...p, hazards: p.hazards.map((h, i) => ({ ...h, id: `H${i}` })) }));
}

function hazardArbitrary() {
  return fc.record({ found: fc.integer({ min: -400, max: 0 }), term: fc.integer({ min: 1, max: 200 }), closed: fc.boolean() }).map(({ found, term, closed }) => ({
    verdict: { level: 'major' as const },
    found_on: day(found),
    deadline: day(found + term),
    ...(closed && found + term <= 0 ? { verification: { on: day(found + term - 1 >= found ? found + term - 1 : found), passed: true }, closed_on: day(found + term) } : {}),
  }));
}

/** Facts that a veto reads with `equal` (a flag) or `contains` (a listed condition), and the value that fires it. */
function vetoFlags(scheme: CompiledScheme): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const v of scheme.vetoes) {
    for (const leaf of leavesOf(v.source.when)) {
      if (leaf.operator === 'equal' && typeof leaf.value === 'boolean') out.push([leaf.fact, leaf.value]);
      if (leaf.operator === 'contains') out.push([leaf.fact, leaf.value]);
    }
  }
  return out;
}

describe.each(bundledSchemeFiles().map((f) => [f.replace(/^.*\//, ''), resolveScheme(f)] as const))('%s', (_name, scheme) => {
  const rank = (letter: string) => scheme.letters.indexOf(letter);
  const grade = (p: unknown) => rank(engine.grade(p as never, { scheme, asOf }).letter);
  const flags = vetoFlags(scheme);

  it('adding an open 重大事故隐患 never improves the grade', () => {
    fc.assert(
      fc.property(profileArbitrary(scheme), fc.integer({ min: -300, max: 0 }), fc.integer({ min: 1, max: 400 }), (p, found, term) => {
        const worse = { ...p, hazards: [...p.hazards, { id: 'NEW', verdict: { level: 'major' }, found_on: day(found), deadline: day(found + term) }] };
        expect(grade(worse)).toBeGreaterThanOrEqual(grade(p));
      }),
      params(150),
    );
  });

  it('adding an accident never improves the grade', () => {
    fc.assert(
      fc.property(profileArbitrary(scheme), fc.integer({ min: -700, max: 0 }), fc.constantFrom('ordinary', 'larger', 'major', 'especially_major'), fc.integer({ min: 0, max: 40 }), fc.boolean(), (p, when, g, deaths, concealed) => {
        const worse = { ...p, accidents: [...p.accidents, { date: day(when), grade: g, deaths, responsible: true, concealed }] };
        expect(grade(worse)).toBeGreaterThanOrEqual(grade(p));
      }),
      params(150),
    );
  });

  it.runIf(flags.length > 0)('setting a veto fact never improves the grade', () => {
    fc.assert(
      fc.property(profileArbitrary(scheme), fc.constantFrom(...flags), (p, [fact, value]) => {
        const current = p.facts[fact];
        const next = Array.isArray(current) ? [...new Set([...current, value])] : value;
        expect(grade({ ...p, facts: { ...p.facts, [fact]: next } })).toBeGreaterThanOrEqual(grade(p));
      }),
      params(150),
    );
  });

  it('clearing every open 重大事故隐患 (验收 passed, 销号) and nothing else never worsens the grade', () => {
    fc.assert(
      fc.property(profileArbitrary(scheme), (p) => {
        const cleared = {
          ...p,
          hazards: p.hazards.map((h) => ('closed_on' in h ? h : { ...h, verification: { on: day(0), passed: true }, closed_on: day(0) })),
        };
        expect(grade(cleared)).toBeLessThanOrEqual(grade(p));
      }),
      params(150),
    );
  });

  it('does not depend on the order of hazards, accidents and penalties; same profile and day, same grade', () => {
    fc.assert(
      fc.property(profileArbitrary(scheme), (p) => {
        const frozen = structuredClone(p);
        const first = engine.grade(p as never, { scheme, asOf });
        const reversed = { ...p, hazards: [...p.hazards].reverse(), accidents: [...p.accidents].reverse(), penalties: [...p.penalties].reverse() };
        expect(engine.grade(reversed as never, { scheme, asOf }).letter).toBe(first.letter);
        expect(engine.grade(p as never, { scheme, asOf })).toEqual(first);
        expect(p).toEqual(frozen);
      }),
      params(100),
    );
  });
});
