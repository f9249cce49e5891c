/**
 * Grading an enterprise by a compiled scheme, as of a day (supervision-grading.md §7.2):
 *  1. vetoes — every one that holds is recorded; any forces its letter;
 *  2. the base letter — each base part's first case that holds, the parts combined by the one of
 *     most supervision need;
 *  3. modifiers, in order (down, up, floor);
 *  4. the letter: a veto's if one holds, else the modified base (`base_letter` is reported either
 *     way, so a reason shows what the grade would be without the veto);
 *  5. inspection frequency by letter and sector; the next scheduled re-grading and the dated
 *     events that will change the grade sooner (a deadline passing, an accident leaving its window).
 * Letters are positions on the scheme's scale (lowest supervision need first): the same letter
 * means different things in different schemes, and results say what it means here.
 */
import { compileCondition, explain, factsRead, TRUE, UNKNOWN, type Evaluate, type FactMap, type ReaderFactory } from '../compile/condition.js';
import { HazardRulesError } from '../errors.js';
import type { Condition } from '../pack/schema.js';
import { countMeasure, windowStart, type Counted, type MajorHazard, type Records } from './measures.js';
import type { GradingProvenance, GradingScheme, Modifier, Veto } from './scheme.js';

export interface CompiledScheme {
  readonly id: string;
  readonly version: string;
  readonly hash: string;
  readonly source: GradingScheme;
  readonly file?: string;
  readonly letters: readonly string[];
  readonly vetoes: ReadonlyArray<{ source: Veto; evaluate: Evaluate }>;
  readonly modifiers: ReadonlyArray<{ source: Modifier; evaluate: Evaluate }>;
  readonly parts: ReadonlyArray<{ source: GradingScheme['base']['parts'][number]; cases: ReadonlyArray<{ letter: number; evaluate: Evaluate; when: Condition }> }>;
  readonly readers: ReaderFactory;
}

const plainReaders: ReaderFactory = { reader: (name) => (facts: FactMap) => facts[name], inputsOf: (name) => [name] };

export function compileScheme(scheme: GradingScheme, hash: string, file?: string): CompiledScheme {
  const letters = scheme.scale.map((s) => s.letter);
  const index = (letter: string) => letters.indexOf(letter);
  return {
    id: scheme.id,
    version: scheme.version,
    hash,
    source: scheme,
    file,
    letters,
    vetoes: (scheme.vetoes ?? []).filter((v) => v.enabled !== false).map((v) => ({ source: v, evaluate: compileCondition(v.when, plainReaders) })),
    modifiers: (scheme.modifiers ?? []).filter((m) => m.enabled !== false).map((m) => ({ source: m, evaluate: compileCondition(m.when, plainReaders) })),
    parts: scheme.base.parts.map((p) => ({ source: p, cases: p.cases.map((c) => ({ letter: index(c.letter), when: c.when, evaluate: compileCondition(c.when, plainReaders) })) })),
    readers: plainReaders,
  };
}

export interface Reason {
  rule: string;
  kind: 'veto' | 'base' | 'modifier' | 'inspection' | 'regrade';
  label: string;
  label_en: string;
  /** What it did: "D", "down 1 → C", "floor C", "base B" … */
  effect: string;
  letter: string;
  provenance: GradingProvenance;
  unverified: boolean;
  sources?: string[];
  /** The profile facts and counted records that made it hold. */
  facts?: Record<string, unknown>;
  evidence?: Counted[];
}

export interface GradeCaveat {
  kind: 'library-value' | 'unverified-value' | 'undecided-rule' | 'hazard-undetermined';
  rule?: string;
  hazard?: string;
  message: string;
}

export interface GradeResult {
  enterprise: string | number;
  scheme: { id: string; version: string; hash: string };
  as_of: string;
  letter: string;
  /** What the letter means in this scheme (its own words: A is low risk in one, high in another). */
  meaning: string;
  meaning_en: string;
  /** The letter without vetoes (base and modifiers). */
  base_letter: string;
  reasons: Reason[];
  /** Where the scheme sets inspection frequencies. */
  inspection?: { min: { count: number; per_years: number }; max_per_year: number; high_risk_sector: boolean; monthly_while_suspended: boolean };
  /** What the letter entails in this scheme (e.g. a moratorium on new projects), where it says. */
  consequence?: string;
  consequence_en?: string;
  next_regrading: string;
  /** Dated events that will change the inputs before then: re-grade on each. */
  next_events: Array<{ date: string; event: string }>;
  hazards: { major_open: number; major_overdue: number; major_closed: number; general: number; undetermined: number };
  caveats: GradeCaveat[];
  change?: { from: string; to: string; direction: 'worse' | 'better' | 'same'; explanation: string };
}

export interface GradeInputs {
  id: string | number;
  facts: Readonly<Record<string, unknown>>;
  sector?: string;
  records: Records;
  hazardCounts: { general: number; undetermined: number };
  caveats: GradeCaveat[];
  suspended: boolean;
  previous?: { letter: string; as_of: string; scheme?: string; reasons?: string[] };
}

export function gradeWith(scheme: CompiledScheme, input: GradeInputs, asOf: string): GradeResult {
  const s = scheme.source;
  const { letters } = scheme;
  // The scheme's measures, counted as of the day, beside the profile's facts.
  const counted = new Map<string, Counted[]>();
  const values: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(input.facts)) values[name] = value;
  for (const [name, measure] of Object.entries(s.measures)) {
    const records = countMeasure(measure, input.records, asOf);
    counted.set(name, records);
    values[name] = records.length;
  }
  const caveats: GradeCaveat[] = [...input.caveats];
  const reasons: Reason[] = [];
  const why = (when: Condition) => {
    const names = factsRead(when);
    const facts: Record<string, unknown> = {};
    const evidence: Counted[] = [];
    for (const name of names) {
      if (counted.has(name)) evidence.push(...counted.get(name)!);
      else if (values[name] !== undefined) facts[name] = values[name];
    }
    return { ...(Object.keys(facts).length > 0 ? { facts } : {}), ...(evidence.length > 0 ? { evidence } : {}) };
  };
  const attest = (rule: { id: string; provenance: GradingProvenance; unverified?: boolean; sources?: string[] }) => {
    if (rule.provenance === 'library') caveats.push({ kind: 'library-value', rule: rule.id, message: `${rule.id} rests on a value the reference proposes itself (not an official text)` });
    if (rule.unverified) caveats.push({ kind: 'unverified-value', rule: rule.id, message: `${rule.id} rests on a value the reference marks [UNVERIFIED]` });
    return { provenance: rule.provenance, unverified: rule.unverified === true, ...(rule.sources ? { sources: rule.sources } : {}) };
  };
  const undecided = (id: string, when: Condition) => {
    const missing = [...explain(when, values, asOf, plainReaders).missing].sort();
    caveats.push({ kind: 'undecided-rule', rule: id, message: `${id} could not be decided: the profile lacks ${missing.join(', ')}` });
  };

  // 1. vetoes
  let vetoLetter = -1;
  for (const v of scheme.vetoes) {
    const value = v.evaluate(values, asOf);
    if (value === UNKNOWN) undecided(v.source.id, v.source.when);
    if (value !== TRUE) continue;
    const at = letters.indexOf(v.source.letter);
    vetoLetter = Math.max(vetoLetter, at);
    reasons.push({ rule: v.source.id, kind: 'veto', label: v.source.label, label_en: v.source.label_en, effect: `→ ${v.source.letter}`, letter: v.source.letter, ...attest(v.source), ...why(v.source.when) });
  }

  // 2. base
  const partLetters = new Map<string, number>();
  let base = 0;
  for (const part of scheme.parts) {
    const hit = part.cases.find((c) => c.evaluate(values, asOf) === TRUE);
    if (!hit) {
      const missing = [...new Set(part.cases.flatMap((c) => [...explain(c.when, values, asOf, plainReaders).missing]))].sort();
      throw new HazardRulesError('grade-input-missing', `enterprise ${input.id}: base part ${part.source.id} (${part.source.label_en}) gives no letter — the profile lacks ${missing.join(', ') || 'a fact its cases need'}`);
    }
    partLetters.set(part.source.id, hit.letter);
    base = Math.max(base, hit.letter);
    reasons.push({ rule: part.source.id, kind: 'base', label: part.source.label, label_en: part.source.label_en, effect: `${letters[hit.letter]}`, letter: letters[hit.letter]!, ...attest(part.source), ...why(hit.when) });
  }

  // 3. modifiers
  let modified = base;
  for (const m of scheme.modifiers) {
    const value = m.evaluate(values, asOf);
    if (value === UNKNOWN) undecided(m.source.id, m.source.when);
    if (value !== TRUE) continue;
    const e = m.source.effect;
    let effect: string;
    if ('down' in e) {
      modified = Math.min(letters.length - 1, modified + e.down);
      effect = `down ${e.down} → ${letters[modified]}`;
    } else if ('up' in e) {
      modified = Math.max(0, modified - e.up);
      for (const id of e.then_floor ?? []) modified = Math.max(modified, partLetters.get(id) ?? 0);
      effect = `up ${e.up} → ${letters[modified]}`;
    } else {
      modified = Math.max(modified, letters.indexOf(e.floor));
      effect = `floor ${e.floor} → ${letters[modified]}`;
    }
    reasons.push({ rule: m.source.id, kind: 'modifier', label: m.source.label, label_en: m.source.label_en, effect, letter: letters[modified]!, ...attest(m.source), ...why(m.source.when) });
  }

  const final = vetoLetter >= 0 ? Math.max(vetoLetter, 0) : modified;
  const letter = letters[final]!;
  const entry = s.scale[final]!;

  // 5. inspection and re-grading
  const plan = s.inspection?.[letter];
  const highRisk = input.sector !== undefined && (s.high_risk_sectors ?? []).includes(input.sector);
  if (plan) reasons.push({
    rule: `inspection-${letter}`,
    kind: 'inspection',
    label: `${letter}级检查频次`,
    label_en: `Inspection frequency for ${letter}`,
    effect: `≥ ${plan.min.count} per ${plan.min.per_years} year(s), ≤ ${highRisk ? (plan.max_per_year.high_risk ?? plan.max_per_year.default) : plan.max_per_year.default} per year`,
    letter,
    ...attest({ id: `inspection-${letter}`, ...plan }),
  });
  const next = addDuration(asOf, s.regrade.every);
  const nextEvents = upcomingEvents(s, input.records, asOf, next);

  const result: GradeResult = {
    enterprise: input.id,
    scheme: { id: scheme.id, version: scheme.version, hash: scheme.hash },
    as_of: asOf,
    letter,
    meaning: entry.meaning,
    meaning_en: entry.meaning_en,
    base_letter: letters[modified]!,
    reasons,
    ...(plan
      ? {
          inspection: {
            min: plan.min,
            max_per_year: highRisk ? (plan.max_per_year.high_risk ?? plan.max_per_year.default) : plan.max_per_year.default,
            high_risk_sector: highRisk,
            monthly_while_suspended: input.suspended,
          },
        }
      : {}),
    ...(entry.consequence ? { consequence: entry.consequence } : {}),
    ...(entry.consequence_en ? { consequence_en: entry.consequence_en } : {}),
    next_regrading: next,
    next_events: nextEvents,
    hazards: {
      major_open: input.records.majorHazards.filter((h) => h.found_on <= asOf && h.open).length,
      major_overdue: input.records.majorHazards.filter((h) => h.found_on <= asOf && h.overdue).length,
      major_closed: input.records.majorHazards.filter((h) => h.found_on <= asOf && !h.open).length,
      ...input.hazardCounts,
    },
    caveats: dedupe(caveats),
  };
  if (input.previous) result.change = explainChange(scheme, input.previous, result);
  return result;
}

function dedupe(caveats: GradeCaveat[]): GradeCaveat[] {
  const seen = new Set<string>();
  return caveats.filter((c) => {
    const key = `${c.kind}|${c.rule ?? ''}|${c.hazard ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** «B → D: V4 重大事故隐患 … open past its deadline since …» */
function explainChange(scheme: CompiledScheme, previous: NonNullable<GradeInputs['previous']>, now: GradeResult): NonNullable<GradeResult['change']> {
  const from = previous.letter;
  const to = now.letter;
  const a = scheme.letters.indexOf(from);
  const b = scheme.letters.indexOf(to);
  const direction = a === b ? 'same' : b > a ? 'worse' : 'better';
  const fired = now.reasons.filter((r) => r.kind === 'veto' || r.kind === 'modifier');
  const before = new Set(previous.reasons ?? []);
  const added = fired.filter((r) => !before.has(r.rule));
  const lifted = [...before].filter((id) => !fired.some((r) => r.rule === id));
  const describe = (r: Reason) => {
    const first = r.evidence?.[0];
    const detail = first?.kind === 'major_hazard'
      ? ` (hazard ${first.id}${first.detail.clause ? ` ${first.detail.standard ?? ''} ${first.detail.clause}` : ''}${first.detail.overdue_since ? `, open past its deadline since ${first.detail.overdue_since}` : ''})`
      : first?.kind === 'accident'
        ? ` (accident of ${first.date}, ${first.detail.grade})`
        : '';
    return `${r.rule} ${r.label}${detail}`;
  };
  const parts = [
    ...added.map(describe),
    ...lifted.map((id) => `${id} no longer holds`),
  ];
  if (parts.length === 0) parts.push(direction === 'same' ? 'nothing that decides the grade changed' : `base ${now.base_letter}`);
  return { from, to, direction, explanation: `${from} → ${to}: ${parts.join('; ')}` };
}

/** asOf + an ISO duration (P12M, P1Y, P3M, P30D). */
export function addDuration(date: string, duration: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  const [years, months, weeks, days] = (m ? m.slice(1) : []).map((x) => Number(x ?? 0));
  const y = +date.slice(0, 4);
  const mo = +date.slice(5, 7) - 1 + (years ?? 0) * 12 + (months ?? 0);
  const d = +date.slice(8, 10);
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, mo, Math.min(d, last)) + ((weeks ?? 0) * 7 + (days ?? 0)) * 86_400_000).toISOString().slice(0, 10);
}

/** Dated events between now and the next scheduled grading that change what the scheme counts. */
function upcomingEvents(s: GradingScheme, records: Records, asOf: string, until: string): Array<{ date: string; event: string }> {
  const events: Array<{ date: string; event: string }> = [];
  const dayAfter = (d: string) => addDuration(d, 'P1D');
  for (const h of records.majorHazards as MajorHazard[]) {
    if (h.open && !h.overdue && h.deadline !== undefined && h.found_on <= asOf) {
      const d = dayAfter(h.deadline);
      if (d <= until) events.push({ date: d, event: `hazard ${h.id} becomes overdue unless closed (销号) by ${h.deadline}` });
    }
  }
  for (const [name, measure] of Object.entries(s.measures)) {
    if (!measure.within || measure.count === 'major_hazards') continue;
    const list = measure.count === 'accidents' ? records.accidents : records.penalties;
    for (const r of list) {
      if (r.date > asOf || r.date < windowStart(asOf, measure.within)) continue;
      const leaves = dayAfter(addDuration(r.date, measure.within));
      if (leaves <= until) events.push({ date: leaves, event: `${measure.count === 'accidents' ? 'accident' : 'penalty'} of ${r.date} leaves the window of ${name}` });
    }
  }
  // One entry per date and event, in date order.
  const unique = [...new Map(events.map((e) => [`${e.date}\u0000${e.event}`, e])).values()];
  return unique.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
