/**
 * The engine: a set of compiled editions, and the calls that judge findings and sites on the
 * edition in force on their date. Synchronous and pure: the same input gives the same verdict,
 * and inputs are never mutated.
 */
import type { CompiledPack } from '../compile/compile-pack.js';
import { FindingError } from '../compile/facts.js';
import { HazardRulesError } from '../errors.js';
import type { Pack, Provenance } from '../pack/schema.js';
import { bundledPackFiles } from '../bundled.js';
import { compilePack } from '../compile/compile-pack.js';
import { loadCompiledPack, type PackSource } from '../pipeline.js';
import { chinaToday, covers, Editions } from './editions.js';
import { isCalendarDateCached } from '../compile/facts.js';
import { factMapOf, inputSchemas, isPlainFinding, isPlainObject, parseEnvelope, trustedFactMap, type Finding, type SiteInput } from './finding.js';
import { judge, REFUSED } from './judge.js';
import { classifyParallel } from './parallel.js';
import { judgeSite } from './site.js';
import type { DateBasis, SiteVerdict, Verdict } from './verdict.js';
import { gradeEnterprise, resolveScheme, useExampleJudge, type CompiledScheme, type EnterpriseInput, type GradeResult } from '../grade/index.js';

// A scheme's own examples are graded with the bundled packs.
useExampleJudge(() => {
  const engine = createEngine();
  return (finding) => engine.classify(finding as Finding);
});

export interface EngineOptions {
  /** Packs to load: compiled, parsed, or file paths / sources. Default: every bundled pack. */
  packs?: ReadonlyArray<CompiledPack | Pack | PackSource>;
  /** Today's date for findings without `observed_at` (default: today in Asia/Shanghai). */
  today?: () => string;
  /**
   * Run each pack's own examples when it is loaded from source, and refuse a pack whose examples
   * fail (default true). Bundled packs were checked at build time. Turn off only for hot reloads
   * of packs you validate yourself.
   */
  checkExamples?: boolean;
}

export interface PackInfo {
  id: string;
  standard: string;
  version: string;
  hash: string;
  title: string;
  title_en: string;
  document_number: string;
  effective_from: string;
  effective_to?: string;
  file?: string;
  /** The edition this one follows (`standard.supersedes`), and its rules this one does not carry on. */
  supersedes?: string;
  dropped?: Array<{ rule: string; note: string; note_en: string }>;
  rules: Array<{
    id: string;
    clause: string;
    text: string;
    text_en: string;
    unverified: boolean;
    provenance?: Provenance;
    /** Rules of the previous edition this rule carries on. */
    supersedes?: string[];
    instrument?: string;
    effective_from?: string;
    effective_to?: string;
  }>;
  site_determination: boolean;
}

export interface ClassifyOptions {
  trusted?: boolean;
}

export interface GradeOptions {
  scheme?: string | CompiledScheme;
  asOf?: string;
}

export type ManyResult = Verdict | { id?: string | number; error: { code: string; message: string; facts: string[] } };

export interface Engine {
  readonly packs: PackInfo[];
  /**
   * Judge one finding. Throws `FindingError` (naming the fact) or `HazardRulesError` on bad input.
   * `{ trusted: true }` skips checking the finding against the vocabulary: for input this library
   * produced or already checked; a wrong type then gives a wrong verdict, not an error.
   */
  classify(finding: Finding, options?: ClassifyOptions): Verdict;
  /** Judge many findings in order. With `errors: 'collect'`, a bad finding yields an error entry instead of throwing. */
  classifyMany(findings: Iterable<Finding>, options?: { errors?: 'throw' | 'collect' }): ManyResult[];
  /**
   * Judge many findings on worker threads (default: one per core), in input order. Bad findings
   * always yield error entries here (as `errors: 'collect'`). Worth it from some ten thousand
   * findings on: each worker compiles the packs again.
   */
  classifyParallel(findings: Iterable<Finding>, options?: { workers?: number; batchSize?: number }): Promise<ManyResult[]>;
  /** Site-level determination (for packs that declare one). */
  classifySite(input: SiteInput): SiteVerdict;
  /** The compiled edition of a standard in force on a date. */
  editionFor(standard: string, date: string): CompiledPack;
  /**
   * A–D supervision grade of an enterprise profile (its hazards' findings judged by this
   * engine's packs, each by the edition in force on its date), by a scheme (bundled id, file, or
   * compiled; default `default`), as of a day (default today, Asia/Shanghai).
   */
  grade(enterprise: EnterpriseInput, options?: GradeOptions): GradeResult;
  /** `grade` over many profiles, in order; with `errors: 'collect'` a bad profile yields `{ id, error }`. */
  gradeMany(enterprises: Iterable<EnterpriseInput>, options?: GradeOptions & { errors?: 'throw' | 'collect' }): Array<GradeResult | { id?: string | number; error: { code: string; message: string } }>;
  pack(id: string): CompiledPack;
}

const isCompiled = (p: unknown): p is CompiledPack => typeof p === 'object' && p !== null && 'rulesByFact' in p;
const isPack = (p: unknown): p is Pack => typeof p === 'object' && p !== null && 'rules' in p && 'standard' in p && !('data' in p);

export function createEngine(options: EngineOptions = {}): Engine {
  const sources = options.packs ?? bundledPackFiles();
  const load = { checkExamples: options.checkExamples ?? true };
  const compiled = sources.map((p) => (isCompiled(p) ? p : isPack(p) ? compilePack(p) : loadCompiledPack(p as PackSource, load)));
  const editions = new Editions(compiled);
  const today = options.today ? () => checkedDate(options.today!(), 'today') : chinaToday;

  /** Chooses the edition for an input: pinned by id, or the one in force on its date. */
  function choose(input: { standard?: string; pack?: string; observed_at?: string }): { pack: CompiledPack; date: string; basis: DateBasis } {
    const basis: DateBasis = input.observed_at ? 'observed_at' : 'today';
    const date = input.observed_at ?? today();
    if (input.pack) {
      const pack = editions.pack(input.pack);
      if (input.standard && input.standard !== pack.standard) {
        throw new HazardRulesError('pack-standard-mismatch', `pack ${pack.id} is an edition of ${pack.standard}, not ${input.standard}`);
      }
      if (!covers(pack, date)) {
        throw new HazardRulesError(
          'date-outside-edition',
          `pack ${pack.id} is in force ${pack.effectiveFrom} – ${pack.effectiveTo ?? 'now'}, not on ${date}${basis === 'today' ? ' (today; give observed_at)' : ''}`,
        );
      }
      return { pack, date, basis };
    }
    const standard = input.standard ?? soleStandard();
    return { pack: editions.inForce(standard, date), date, basis };
  }

  function soleStandard(): string {
    const standards = editions.standards;
    if (standards.length === 1) return standards[0]!;
    throw new HazardRulesError('standard-required', `the finding names no standard; this engine holds ${standards.join(', ')}`);
  }

  function classify(input: Finding, options?: ClassifyOptions): Verdict {
    const trusted = options?.trusted === true;
    if (trusted) checkTrustedEnvelope(input);
    const finding = trusted || isPlainFinding(input) ? (input as Parameters<typeof choose>[0] & typeof input) : parseEnvelope(inputSchemas().FindingSchema, input, 'finding');
    // The common case — a standard and a date — goes straight to the edition.
    const { pack, date, basis } =
      finding.pack === undefined && finding.standard !== undefined && finding.observed_at !== undefined
        ? { pack: editions.inForce(finding.standard, finding.observed_at), date: finding.observed_at, basis: 'observed_at' as const }
        : choose(finding);
    // The common case — facts only, all valid — is checked while it is judged; anything else
    // is merged and checked first (and refused with the reason, if it must be).
    let j = trusted || finding.context !== undefined ? undefined : judge(pack, finding.facts, date, true);
    if (j === undefined || j === REFUSED) {
      const facts = trusted ? trustedFactMap(finding.context, finding.facts) : factMapOf(pack, finding.context, finding.facts, finding.id);
      j = judge(pack, facts, date);
    }
    if (j.reached === 0 && j.level === 'general' && j.caveats.length === 0) throw nothingReached(pack, finding.id);
    // Literal objects of one shape each (no conditional spreads): verdicts are made by the million.
    const verdict: Verdict =
      finding.id === undefined
        ? { level: j.level, standard: pack.standard, observed_at: date, date_basis: basis, pack: pack.ref, matches: j.matches, missing: j.missing, checked: j.checked, assumptions: j.assumptions, caveats: j.caveats }
        : { id: finding.id, level: j.level, standard: pack.standard, observed_at: date, date_basis: basis, pack: pack.ref, matches: j.matches, missing: j.missing, checked: j.checked, assumptions: j.assumptions, caveats: j.caveats };
    if (finding.meta !== undefined) verdict.meta = ownCopy(finding.meta, finding.id);
    return verdict;
  }

  function classifyMany(findings: Iterable<Finding>, opts: { errors?: 'throw' | 'collect' } = {}): ManyResult[] {
    const results: ManyResult[] = [];
    for (const finding of findings) {
      if (opts.errors !== 'collect') {
        results.push(classify(finding));
        continue;
      }
      try {
        results.push(classify(finding));
      } catch (error) {
        if (!(error instanceof HazardRulesError)) throw error;
        const id = (finding as { id?: string | number } | null)?.id;
        results.push({
          ...(id !== undefined ? { id } : {}),
          error: { code: error.code, message: error.message, facts: error instanceof FindingError ? error.facts : [] },
        });
      }
    }
    return results;
  }

  function classifySite(input: SiteInput): SiteVerdict {
    const parsed = parseEnvelope(inputSchemas().SiteInputSchema, input, 'site');
    const { pack, date, basis } = choose(parsed);
    const site = factMapOf(pack, parsed.site);
    // The site is what the place is (its categories, its exemptions): an observation written
    // there would be seen by every finding and could make one unrelated finding major.
    const observed = Object.keys(site).filter((name) => pack.source.facts[name]?.kind !== 'context');
    if (observed.length > 0) {
      throw new FindingError(
        observed.map((fact) => ({ code: 'not-context', fact, message: `site: "${fact}" is an observation fact — give it in the finding that observed it (site holds context facts only)` })),
      );
    }
    const findings = parsed.findings.map((f, i) => ({
      id: f.id ?? `#${i}`,
      facts: factMapOf(pack, parsed.site, factMapOf(pack, f.context, f.facts, f.id), f.id),
    }));
    return judgeSite(pack, siteView(pack, site, findings), findings, date, basis);
  }

  return {
    packs: deepFreeze(compiled.map(info)),
    classify,
    classifyMany,
    classifyParallel: (findings, opts = {}) => classifyParallel(compiled, today(), findings, opts),
    classifySite,
    editionFor: (standard, date) => editions.inForce(standard, checkedDate(date, 'date')),
    grade: (enterprise, opts = {}) => gradeEnterprise((f) => classify(f as Finding), resolveScheme(opts.scheme), enterprise, opts.asOf ? checkedDate(opts.asOf, 'asOf') : today()),
    gradeMany(enterprises, opts = {}) {
      const scheme = resolveScheme(opts.scheme);
      const asOf = opts.asOf ? checkedDate(opts.asOf, 'asOf') : today();
      const out: Array<GradeResult | { id?: string | number; error: { code: string; message: string } }> = [];
      for (const enterprise of enterprises) {
        try {
          out.push(gradeEnterprise((f) => classify(f as Finding), scheme, enterprise, asOf));
        } catch (error) {
          if (opts.errors !== 'collect' || !(error instanceof HazardRulesError)) throw error;
          const id = (enterprise as { id?: string | number } | null)?.id;
          out.push({ ...(id !== undefined ? { id } : {}), error: { code: error.code, message: error.message } });
        }
      }
      return out;
    },
    pack: (id) => editions.pack(id),
  };
}

/**
 * The site's context as the determination reads it (exemptions, branch conditions): the site's
 * own facts, and context facts that findings give (an exemption recorded with a finding is used,
 * not reported missing). Findings that disagree on one are refused.
 */
function siteView(pack: CompiledPack, site: Readonly<Record<string, unknown>>, findings: ReadonlyArray<{ id: string | number; facts: Readonly<Record<string, unknown>> }>) {
  let view: Record<string, unknown> | undefined;
  const from = new Map<string, string | number>();
  for (const finding of findings) {
    for (const name in finding.facts) {
      if (name in site || pack.source.facts[name]?.kind !== 'context') continue;
      const value = finding.facts[name];
      view ??= Object.assign(Object.create(null) as Record<string, unknown>, site);
      if (!(name in view)) {
        view[name] = value;
        from.set(name, finding.id);
      } else if (JSON.stringify(view[name]) !== JSON.stringify(value)) {
        throw new FindingError([{ code: 'bad-value', fact: name, message: `site: findings ${from.get(name)} and ${finding.id} give "${name}" different values` }]);
      }
    }
  }
  return view ?? site;
}

/** A date argument checked before use: a malformed one would compare wrongly as text (2026-6-30). */
function checkedDate(date: unknown, what: string): string {
  if (typeof date === 'string' && isCalendarDateCached(date)) return date;
  throw new HazardRulesError('invalid-date', `${what} must be a calendar date YYYY-MM-DD, not ${JSON.stringify(date)}`);
}

/** Trusted input skips the facts check, not the envelope: it must still be a finding. */
function checkTrustedEnvelope(input: unknown): void {
  const record = input as { facts?: unknown; observed_at?: unknown; id?: unknown } | null;
  const id = typeof record?.id === 'string' || typeof record?.id === 'number' ? record.id : undefined;
  const fail = (field: string, message: string) => {
    throw new FindingError([{ code: 'wrong-type', fact: field, message: `finding${id !== undefined ? ` ${id}` : ''}: ${field} ${message}` }], id);
  };
  if (!isPlainObject(record)) return fail('(root)', 'must be an object');
  if (!isPlainObject(record.facts)) fail('facts', 'must be a plain object of facts');
  if (record.observed_at !== undefined && (typeof record.observed_at !== 'string' || !isCalendarDateCached(record.observed_at))) {
    fail('observed_at', 'must be a calendar date YYYY-MM-DD');
  }
}

/** A finding none of whose facts any clause reads is not a clean bill: it was judged by nothing. */
function nothingReached(pack: CompiledPack, id: string | number | undefined): HazardRulesError {
  return new FindingError(
    [{ code: 'no-rule-reached', fact: '', message: `finding${id !== undefined ? ` ${id}` : ''}: none of its facts is read by a clause of ${pack.id} — nothing was judged (give the observation facts the clause needs)` }],
    id,
  );
}

/** The caller's `meta`, copied: a verdict shares no mutable object with its input. */
function ownCopy(meta: unknown, id: string | number | undefined): unknown {
  if (meta === null || typeof meta !== 'object') return meta;
  try {
    return structuredClone(meta);
  } catch (error) {
    const why = error instanceof RangeError ? 'is nested too deeply to copy' : `cannot be copied (${(error as Error).message})`;
    throw new FindingError([{ code: 'bad-value', fact: 'meta', message: `finding${id !== undefined ? ` ${id}` : ''}: meta ${why}` }], id);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

function info(pack: CompiledPack): PackInfo {
  const s = pack.source;
  return {
    id: pack.id,
    standard: pack.standard,
    version: pack.version,
    hash: pack.hash,
    title: s.title,
    title_en: s.title_en,
    document_number: s.standard.document_number,
    effective_from: pack.effectiveFrom,
    ...(pack.effectiveTo ? { effective_to: pack.effectiveTo } : {}),
    ...(pack.file ? { file: pack.file } : {}),
    ...(s.standard.supersedes ? { supersedes: s.standard.supersedes } : {}),
    ...(s.dropped ? { dropped: s.dropped } : {}),
    rules: s.rules.map((r) => ({
      id: r.id,
      clause: r.clause,
      text: r.text,
      text_en: r.text_en,
      unverified: r.unverified === true,
      ...(r.provenance ? { provenance: r.provenance } : {}),
      ...(r.supersedes ? { supersedes: r.supersedes } : {}),
      ...(r.instrument ? { instrument: r.instrument } : {}),
      ...(r.effective_from ? { effective_from: r.effective_from } : {}),
      ...(r.effective_to ? { effective_to: r.effective_to } : {}),
    })),
    site_determination: s.determination !== undefined,
  };
}
