/**
 * Measures: counts over an enterprise's dated records as of the grading day — responsible
 * accidents of a grade within a window, 重大事故隐患 in a state, penalties within a window. Each
 * count keeps the records it counted: they are the evidence a reason names.
 */
import { ACCIDENT_GRADES, SUPERVISION_LEVELS, type Measure } from './scheme.js';
import type { Accident, HazardStatus } from './enterprise.js';

export interface Counted {
  kind: 'accident' | 'major_hazard' | 'penalty';
  id?: string;
  date: string;
  /** What the record is, for a reason: the hazard's clause and dates, the accident's grade. */
  detail: Record<string, unknown>;
}

export interface MajorHazard extends HazardStatus {
  standard?: string;
  rule?: string;
  clause?: string;
}

export interface Records {
  accidents: readonly Accident[];
  penalties: ReadonlyArray<{ date: string; decision?: string }>;
  majorHazards: readonly MajorHazard[];
}

/** The first day of a window of `duration` ending on `asOf` (inclusive): P12M before 2026-05-10 is 2025-05-11. */
export function windowStart(asOf: string, duration: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  const [years, months, weeks, days] = (m ? m.slice(1) : []).map((x) => Number(x ?? 0));
  const y = +asOf.slice(0, 4);
  const mo = +asOf.slice(5, 7) - 1;
  const d = +asOf.slice(8, 10);
  const totalMonths = mo - ((years ?? 0) * 12 + (months ?? 0));
  const last = new Date(Date.UTC(y, totalMonths + 1, 0)).getUTCDate();
  const back = Date.UTC(y, totalMonths, Math.min(d, last)) - ((weeks ?? 0) * 7 + (days ?? 0)) * 86_400_000;
  return new Date(back + 86_400_000).toISOString().slice(0, 10);
}

const rank = (grade: string) => ACCIDENT_GRADES.indexOf(grade as never);
const levelRank = (level: string) => SUPERVISION_LEVELS.indexOf(level as never);

export function countMeasure(measure: Measure, records: Records, asOf: string): Counted[] {
  const from = measure.within ? windowStart(asOf, measure.within) : undefined;
  const inWindow = (date: string) => date <= asOf && (from === undefined || date >= from);
  const w = measure.where ?? {};
  switch (measure.count) {
    case 'accidents':
      return records.accidents
        .filter((a) => inWindow(a.date))
        .filter((a) => w.grade === undefined || a.grade === w.grade)
        .filter((a) => w.grade_at_least === undefined || rank(a.grade) >= rank(w.grade_at_least))
        .filter((a) => w.responsible === undefined || a.responsible === w.responsible)
        .filter((a) => w.concealed === undefined || a.concealed === w.concealed)
        .filter((a) => w.deaths_at_least === undefined || a.deaths >= w.deaths_at_least)
        .map((a) => ({ kind: 'accident' as const, ...(a.id ? { id: a.id } : {}), date: a.date, detail: { grade: a.grade, deaths: a.deaths, responsible: a.responsible, concealed: a.concealed } }));
    case 'penalties':
      return records.penalties
        .filter((p) => inWindow(p.date))
        .map((p) => ({ kind: 'penalty' as const, ...(p.decision ? { id: p.decision } : {}), date: p.date, detail: {} }));
    case 'major_hazards':
      return records.majorHazards
        .filter((h) => h.found_on <= asOf && (from === undefined || h.found_on >= from))
        .filter((h) => {
          switch (w.state) {
            case 'open':
              return h.open;
            case 'overdue':
              return h.overdue;
            case 'open_not_overdue':
              return h.open && !h.overdue;
            case 'closed':
              return !h.open;
            default:
              return true;
          }
        })
        .filter((h) => w.supervised_level_at_least === undefined || (h.supervision !== undefined && levelRank(h.supervision.level) >= levelRank(w.supervised_level_at_least)))
        .map((h) => ({
          kind: 'major_hazard' as const,
          id: h.id,
          date: h.found_on,
          detail: {
            ...(h.standard ? { standard: h.standard } : {}),
            ...(h.rule ? { rule: h.rule } : {}),
            ...(h.clause ? { clause: h.clause } : {}),
            found_on: h.found_on,
            ...(h.deadline ? { deadline: h.deadline } : {}),
            ...(h.overdue_since ? { overdue_since: h.overdue_since } : {}),
            ...(h.supervision ? { supervision: h.supervision.level } : {}),
            ...(h.closed_on ? { closed_on: h.closed_on } : {}),
          },
        }));
  }
}
