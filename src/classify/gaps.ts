/**
 * Declared gaps of an edition: text the pack does not encode. A verdict inside a gap's period
 * and scope (or where its scope cannot be decided) says so.
 */
import { FALSE, type FactMap } from '../compile/condition.js';
import type { CompiledGap, CompiledPack } from '../compile/compile-pack.js';
import type { Caveat, Missing } from './verdict.js';

export function gapsTouching(pack: CompiledPack, facts: FactMap, date: string): CompiledGap[] {
  return pack.gaps.filter(
    (gap) => date >= gap.from && (gap.to === undefined || date < gap.to) && !(gap.scope && gap.scope(facts, date) === FALSE),
  );
}

/**
 * Adds the caveats of every gap touching a non-major verdict; a gap whose effect is
 * `undetermined` also leaves the verdict open. Returns whether one did.
 */
export function applyGaps(pack: CompiledPack, facts: FactMap, date: string, caveats: Caveat[], missing: Missing[]): boolean {
  let open = false;
  for (const { source: g } of gapsTouching(pack, facts, date)) {
    caveats.push({ kind: 'gap', gap: g.id, instrument: g.instrument, ...(g.title ? { title: g.title } : {}), missing: g.missing, missing_en: g.missing_en });
    if (g.effect === 'undetermined') {
      open = true;
      missing.push({ gap: g.id, reason: 'edition-text-not-encoded', facts: [] });
    }
  }
  return open;
}
