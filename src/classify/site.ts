/**
 * Site-level determination (GB 35181's 直接判定 / 综合判定), as a pack declares it: the set of
 * elements a site's findings meet, each counted once, against "any one direct element" and
 * "at least N distinct elements of subset S when the site is C", after exemptions. Three-valued
 * like everything else: an element whose finding lacks a deciding fact, or whose finding may or
 * may not count (5.1.2 unknown), is undetermined, and so is a verdict that hangs on it.
 */
import { explain, FALSE, TRUE, UNKNOWN, type FactMap, type Truth } from '../compile/condition.js';
import { ruleInForce, type CompiledPack, type CompiledRule } from '../compile/compile-pack.js';
import { HazardRulesError } from '../errors.js';
import { applyGaps } from './gaps.js';
import { assumptionsUsed, ruleCaveat } from './judge.js';
import type { AssumptionUsed, Caveat, DateBasis, ElementStatus, Missing, SiteElement, SiteVerdict } from './verdict.js';

export interface SiteFinding {
  id?: string | number;
  facts: FactMap;
}

interface ElementState {
  status: Truth;
  findings: Set<string>;
  missing: Set<string>;
}

/**
 * @param site the site's own facts (context: categories, exemption facts …)
 * @param findings each finding's facts, already merged with the site's and validated
 */
export function judgeSite(
  pack: CompiledPack,
  site: FactMap,
  findings: readonly SiteFinding[],
  date: string,
  dateBasis: DateBasis,
): SiteVerdict {
  const d = pack.determination;
  if (!d) throw new HazardRulesError('no-site-determination', `pack ${pack.id} declares no site-level determination`);
  const states = new Map<CompiledRule, ElementState>();
  for (const rule of d.elements) states.set(rule, { status: FALSE, findings: new Set(), missing: new Set() });
  // The defaults the elements read, once per rule and fact; and the elements findings reached.
  const assumptions = new Map<string, AssumptionUsed>();
  const reached = new Set<CompiledRule>();

  findings.forEach((finding, position) => {
    const label = finding.id === undefined ? `#${position}` : String(finding.id);
    const counts: Truth = d.countsWhen ? d.countsWhen(finding.facts, date) : TRUE;
    if (counts === FALSE) return;
    for (const [rule, state] of states) {
      if (!ruleInForce(rule, date) || !rule.observes.some((f) => finding.facts[f] !== undefined)) continue;
      const value = rule.evaluate(finding.facts, date);
      reached.add(rule);
      if (rule.assumptions.length > 0) {
        for (const a of assumptionsUsed(rule, finding.facts, date)) assumptions.set(`${a.rule}\u0000${a.fact}`, a);
      }
      if (value === FALSE) continue;
      const contribution: Truth = value === TRUE && counts === TRUE ? TRUE : UNKNOWN;
      if (contribution === TRUE) {
        if (state.status !== TRUE) state.missing.clear();
        state.status = TRUE;
        state.findings.add(label);
      } else if (state.status !== TRUE) {
        state.status = UNKNOWN;
        if (value === UNKNOWN) for (const f of explain(rule.condition, finding.facts, date, rule.readers).missing) state.missing.add(f);
        if (counts === UNKNOWN) for (const f of explain(d.source.counts_when!.when, finding.facts, date, pack.readers).missing) state.missing.add(f);
      }
    }
  });

  const met = (rules: readonly CompiledRule[]) => rules.filter((r) => states.get(r)!.status === TRUE);
  const open = (rules: readonly CompiledRule[]) => rules.filter((r) => states.get(r)!.status === UNKNOWN);

  const elements: SiteElement[] = d.elements
    .filter((r) => states.get(r)!.status !== FALSE)
    .map((r) => {
      const s = states.get(r)!;
      return {
        element: r.id,
        clause: r.source.clause,
        ...(r.source.group ? { group: r.source.group } : {}),
        status: statusName(s.status),
        findings: [...s.findings].sort(),
        missing: [...s.missing].sort(),
      };
    });

  const branches = d.branches.map((b) => {
    const applies = b.appliesWhen ? b.appliesWhen(site, date) : TRUE;
    const metCount = met(b.elements).length;
    const openCount = open(b.elements).length;
    const need = b.source.at_least;
    const value: Truth =
      applies === TRUE && metCount >= need ? TRUE : applies === FALSE || metCount + openCount < need ? FALSE : UNKNOWN;
    return { branch: b, applies, metCount, openCount, value };
  });

  const exemptions = d.exemptions.map((e) => ({ e, value: e.when(site, date) }));
  const exempt = exemptions.find((x) => x.value === TRUE);
  const exemptionOpen = exemptions.filter((x) => x.value === UNKNOWN);

  const base = {
    standard: pack.standard,
    observed_at: date,
    date_basis: dateBasis,
    pack: pack.ref,
    elements,
    branches: branches.map((b) => ({
      id: b.branch.source.id,
      clause: b.branch.source.clause,
      applies: b.applies === TRUE ? ('yes' as const) : b.applies === FALSE ? ('no' as const) : ('unknown' as const),
      met: b.metCount,
      undetermined: b.openCount,
      at_least: b.branch.source.at_least,
    })),
  };
  const missing: Missing[] = [];
  const caveats: Caveat[] = [];
  const used = [...assumptions.values()];
  /** Caveats for the parts of the determination a verdict rests on whose text is not attested. */
  const restsOn = (rules: Iterable<CompiledRule>, parts: ReadonlyArray<{ id: string; clause: string; unverified?: boolean }> = []) => {
    for (const rule of [...new Set(rules)].sort((a, b) => a.index - b.index)) if (rule.caveat) caveats.push(ruleCaveat(rule));
    for (const part of parts) {
      if (part.unverified) caveats.push({ kind: 'unverified-rule', rule: part.id, clause: part.clause, note: 'a part of the site determination whose text the references mark unverified' });
    }
  };

  if (exempt) {
    restsOn([], [exempt.e.source]);
    return { ...base, level: 'not_major', path: 'exemption', exemption: exempt.e.id, missing, assumptions: used, caveats };
  }

  const directMet = met(d.direct);
  const branchesMet = branches.filter((b) => b.value === TRUE);
  const wouldBeMajor = directMet.length > 0 || branchesMet.length > 0;
  const decision = wouldBeMajor
    ? directMet.length > 0
      ? { path: 'direct' as const }
      : { path: 'comprehensive' as const, branch: branchesMet.map((b) => b.branch.source.id), threshold: Math.min(...branchesMet.map((b) => b.branch.source.at_least)) }
    : undefined;

  for (const x of exemptionOpen) {
    const facts = [...explain(x.e.source.when, site, date, pack.readers).missing].sort();
    missing.push({ rule: x.e.id, clause: x.e.source.clause, reason: 'fact-missing', facts });
  }
  if (decision) {
    // Major rests on the elements met and the branch or direct rule that counted them.
    if (directMet.length > 0) restsOn(directMet, d.source.direct?.unverified ? [{ id: 'direct', clause: d.source.direct.clause, unverified: true }] : []);
    else restsOn(branchesMet.flatMap((b) => met(b.branch.elements)), branchesMet.map((b) => b.branch.source));
  }
  if (decision && exemptionOpen.length === 0) return { ...base, level: 'major', ...decision, missing: [], assumptions: used, caveats };
  if (decision) return { ...base, level: 'undetermined', ...decision, missing, assumptions: used, caveats };

  // Not major on what is known: is anything still open that could make it major?
  missing.length = 0;
  const openDirect = open(d.direct);
  const openBranches = branches.filter((b) => b.value === UNKNOWN);
  for (const r of [...openDirect, ...new Set(openBranches.flatMap((b) => open(b.branch.elements)))]) {
    missing.push({ rule: r.id, clause: r.source.clause, reason: 'fact-missing', facts: [...states.get(r)!.missing].sort() });
  }
  for (const b of openBranches) {
    if (b.applies === UNKNOWN && b.branch.appliesWhen) {
      const facts = [...explain(b.branch.source.applies_when!, site, date, pack.readers).missing].sort();
      missing.push({ rule: b.branch.source.id, clause: b.branch.source.clause, reason: 'fact-missing', facts });
    }
  }
  let level: SiteVerdict['level'] = missing.length > 0 ? 'undetermined' : 'not_major';
  // Short of major, the verdict rests on every element it reached and every branch that could apply.
  restsOn(reached, branches.filter((b) => b.applies !== FALSE).map((b) => b.branch.source));
  if (applyGaps(pack, site, date, caveats, missing)) level = 'undetermined';
  return { ...base, level, missing, assumptions: used, caveats };
}

const statusName = (t: Truth): ElementStatus => (t === TRUE ? 'met' : t === FALSE ? 'not_met' : 'undetermined');
