/**
 * Editions by date. Every standard has been revised; a finding is judged by the edition in force
 * on the day it was observed. Editions of one standard must not overlap; a day no encoded
 * edition covers is an error naming the standard and the day, never another edition's verdict.
 */
import type { CompiledPack } from '../compile/compile-pack.js';
import { HazardRulesError } from '../errors.js';

export class Editions {
  private readonly byStandard = new Map<string, CompiledPack[]>();
  private readonly byId = new Map<string, CompiledPack>();
  /** The edition each standard last answered with: consecutive findings mostly share it. */
  private readonly lastHit = new Map<string, CompiledPack>();

  constructor(packs: Iterable<CompiledPack>) {
    for (const pack of packs) {
      if (this.byId.has(pack.id)) throw new HazardRulesError('duplicate-pack', `pack ${pack.id} is loaded twice`);
      this.byId.set(pack.id, pack);
      let editions = this.byStandard.get(pack.standard);
      if (!editions) this.byStandard.set(pack.standard, (editions = []));
      editions.push(pack);
    }
    for (const [standard, editions] of this.byStandard) {
      editions.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
      for (let i = 1; i < editions.length; i++) {
        const before = editions[i - 1]!;
        const after = editions[i]!;
        if (before.effectiveTo === undefined || before.effectiveTo > after.effectiveFrom) {
          throw new HazardRulesError(
            'edition-overlap',
            `standard ${standard}: edition ${before.id} (from ${before.effectiveFrom} to ${before.effectiveTo ?? 'open'}) overlaps ${after.id} (from ${after.effectiveFrom})`,
          );
        }
      }
    }
  }

  get all(): CompiledPack[] {
    return [...this.byStandard.values()].flat();
  }

  get standards(): string[] {
    return [...this.byStandard.keys()];
  }

  pack(id: string): CompiledPack {
    const pack = this.byId.get(id);
    if (!pack) throw new HazardRulesError('unknown-pack', `no pack with id "${id}" is loaded (loaded: ${[...this.byId.keys()].join(', ')})`);
    return compiledOf(pack);
  }

  /** The edition of `standard` in force on `date`. */
  inForce(standard: string, date: string): CompiledPack {
    const last = this.lastHit.get(standard);
    if (last !== undefined && covers(last, date)) return last;
    // A lazily compiled edition is compiled here, once, and judged on directly from then on.
    const pack = compiledOf(this.lookup(standard, date));
    this.lastHit.set(standard, pack);
    return pack;
  }

  private lookup(standard: string, date: string): CompiledPack {
    const editions = this.byStandard.get(standard);
    if (!editions) {
      throw new HazardRulesError('unknown-standard', `no pack of standard "${standard}" is loaded (loaded: ${this.standards.join(', ')})`);
    }
    const pack = editions.find((p) => covers(p, date));
    if (!pack) {
      const periods = editions.map((p) => `${p.id}: ${p.effectiveFrom} – ${p.effectiveTo ?? 'in force'}`).join('; ');
      throw new HazardRulesError(
        'no-edition-in-force',
        `no encoded edition of standard "${standard}" is in force on ${date} (editions: ${periods})`,
      );
    }
    return pack;
  }
}

/** The pack itself, compiled (a lazily compiled pack resolves to its compiled self). */
const compiledOf = (pack: CompiledPack): CompiledPack => (pack.resolve ? pack.resolve() : pack);

export const covers = (pack: CompiledPack, date: string): boolean =>
  date >= pack.effectiveFrom && (pack.effectiveTo === undefined || date < pack.effectiveTo);

let shanghai: Intl.DateTimeFormat | undefined;

/** Today's date in China (Asia/Shanghai), the legal day for findings recorded there. */
export function chinaToday(): string {
  shanghai ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
  return shanghai.format(new Date());
}
