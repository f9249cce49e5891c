/**
 * What the engine answers. A verdict says what it decided, by which clauses, on which edition,
 * what it could not see (`missing`), what it took for granted (`assumptions`) and which known
 * gaps of the edition touch it (`caveats`). Nothing is decided silently.
 */
import type { Level, Provenance, SiteLevel } from '../pack/schema.js';

export type { PackRef } from '../compile/compile-pack.js';
import type { PackRef } from '../compile/compile-pack.js';

export interface Match {
  rule: string;
  clause: string;
  text: string;
  text_en: string;
  /** The instrument the rule comes from, when it is not the edition's own document. */
  instrument: string;
  unverified: boolean;
  /** The text's witness status where it is less than two independent sources (`verbatim-1`, …). */
  provenance?: Provenance;
  /** The facts that decided the match, with their values. */
  facts: Record<string, unknown>;
}

export type MissingReason = 'fact-missing' | 'edition-text-not-encoded';

export interface Missing {
  /** The rule that could not be decided (absent for an edition-level gap). */
  rule?: string;
  clause?: string;
  /** The gap that leaves it open, for `edition-text-not-encoded`. */
  gap?: string;
  reason: MissingReason;
  /** Facts that would decide it. */
  facts: string[];
}

export interface AssumptionUsed {
  rule: string;
  fact: string;
  value: unknown;
  reason: string;
  reason_en: string;
}

/** A declared gap of the edition that the verdict falls in: text the pack does not encode. */
export interface GapCaveat {
  kind: 'gap';
  gap: string;
  instrument: string;
  title?: string;
  missing: string;
  missing_en: string;
}

/**
 * A clause the verdict relied on (it was decided false, or left open) whose text the references
 * mark unverified: the verdict is only as good as that reconstruction.
 */
export interface UnverifiedCaveat {
  kind: 'unverified-rule';
  rule: string;
  clause: string;
  note?: string;
}

/** A clause the verdict relied on whose text rests on a single secondary witness (VERBATIM-1). */
export interface SingleWitnessCaveat {
  kind: 'single-witness-rule';
  rule: string;
  clause: string;
}

export type Caveat = GapCaveat | UnverifiedCaveat | SingleWitnessCaveat;

export type DateBasis = 'observed_at' | 'today';

export interface Verdict {
  id?: string | number;
  level: Level;
  standard: string;
  /** The day the finding was judged on. */
  observed_at: string;
  /** Whether that day came from the finding or, lacking it, was today (Asia/Shanghai). */
  date_basis: DateBasis;
  pack: PackRef;
  matches: Match[];
  missing: Missing[];
  /**
   * Rules evaluated on the finding and found not met (ids, pack order). With `matches` and
   * `missing` it says everything the finding was judged by: a `general` verdict names the
   * clauses it fell short of. (A finding that reaches no clause at all is refused.)
   */
  checked: string[];
  assumptions: AssumptionUsed[];
  caveats: Caveat[];
  meta?: unknown;
}

export type ElementStatus = 'met' | 'not_met' | 'undetermined';

export interface SiteElement {
  element: string;
  clause: string;
  group?: string;
  status: ElementStatus;
  /** Ids (or 0-based positions) of the findings that meet it, sorted. */
  findings: string[];
  /** For an undetermined element: the facts that would decide it. */
  missing: string[];
}

export interface SiteVerdict {
  level: SiteLevel;
  /** How the verdict was reached: one direct element, counting, or an exemption. */
  path?: 'direct' | 'comprehensive' | 'exemption';
  standard: string;
  observed_at: string;
  date_basis: DateBasis;
  pack: PackRef;
  /** Every element met or undetermined at the site (each once). */
  elements: SiteElement[];
  /** The counting branch(es) that decided a comprehensive verdict. */
  branch?: string[];
  threshold?: number;
  exemption?: string;
  missing: Missing[];
  /** The declared defaults the elements read (as in a finding's verdict). */
  assumptions: AssumptionUsed[];
  /**
   * Gaps of the edition that touch the site, and the elements, branches and exemptions the
   * verdict rests on whose text is unverified or rests on a single witness.
   */
  caveats: Caveat[];
  branches: Array<{ id: string; clause: string; applies: 'yes' | 'no' | 'unknown'; met: number; undetermined: number; at_least: number }>;
}
