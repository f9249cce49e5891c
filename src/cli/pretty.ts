/** Verdicts for people: what was decided, by which clause, on which facts, and what is missing. */
import type { Caveat, SiteVerdict, Verdict } from '../classify/verdict.js';

const LEVEL = {
  major: '重大事故隐患 MAJOR',
  general: '一般隐患 general',
  undetermined: '无法判定 UNDETERMINED',
  not_major: '非重大 not major',
} as const;

const values = (facts: Record<string, unknown>): string =>
  Object.entries(facts)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
    .join(', ');

export function formatVerdict(v: Verdict): string {
  const out: string[] = [];
  const date = v.date_basis === 'today' ? `${v.observed_at} (today: no observed_at)` : v.observed_at;
  out.push(`${v.id !== undefined ? `[${v.id}] ` : ''}${LEVEL[v.level]} — ${v.pack.id} v${v.pack.version}, judged on ${date}`);
  for (const m of v.matches) {
    out.push(`  ✔ ${m.rule} ${m.clause}${m.unverified ? ' [UNVERIFIED]' : m.provenance === 'verbatim-1' ? ' [single witness]' : ''} ${m.text}`);
    out.push(`      ${m.text_en}`);
    out.push(`      decided by: ${values(m.facts)}  (${m.instrument})`);
  }
  for (const m of v.missing) {
    out.push(
      m.reason === 'edition-text-not-encoded'
        ? `  ? gap ${m.gap}: edition text not encoded`
        : `  ? ${m.rule} ${m.clause}: missing ${m.facts.join(', ')}`,
    );
  }
  for (const a of v.assumptions) out.push(`  ≈ assumed ${a.fact}=${String(a.value)} for ${a.rule}: ${a.reason_en}`);
  for (const c of v.caveats) out.push(caveatLine(c));
  return out.join('\n');
}

const caveatLine = (c: Caveat): string =>
  c.kind === 'gap'
    ? `  ! ${c.instrument}: ${c.missing_en}`
    : c.kind === 'single-witness-rule'
      ? `  ! ${c.rule} ${c.clause}: its text rests on a single secondary witness`
      : `  ! ${c.rule} ${c.clause}: its text is unverified (a reconstruction)`;

export function formatSiteVerdict(v: SiteVerdict): string {
  const out: string[] = [];
  const how = v.path === 'comprehensive' ? ` by ${v.branch?.join(', ')} (≥ ${v.threshold})` : v.path ? ` (${v.path}${v.exemption ? ` ${v.exemption}` : ''})` : '';
  out.push(`SITE ${LEVEL[v.level]}${how} — ${v.pack.id} v${v.pack.version}, judged on ${v.observed_at}`);
  for (const e of v.elements) {
    out.push(`  ${e.status === 'met' ? '✔' : '?'} ${e.element} ${e.clause}${e.findings.length ? ` ← ${e.findings.join(', ')}` : ''}${e.missing.length ? `  missing ${e.missing.join(', ')}` : ''}`);
  }
  for (const b of v.branches) out.push(`  branch ${b.id} (${b.clause}): applies ${b.applies}, ${b.met} met + ${b.undetermined} open of ≥ ${b.at_least}`);
  for (const m of v.missing) out.push(`  ? ${m.rule ?? m.gap}: ${m.facts.join(', ') || m.reason}`);
  for (const c of v.caveats) out.push(caveatLine(c));
  return out.join('\n');
}
