/** `hazard-rules list [--json]`: the packs and their rules. */
import { EXIT, line, openEngine, packFiles, type Io } from './io.js';

/** How far the text of a rule is attested, where less than two witnesses agree. */
const witness = (r: { unverified: boolean; provenance?: string }): string =>
  r.unverified ? '[UNVERIFIED] ' : r.provenance === 'verbatim-1' ? '[single witness] ' : '';

/** A clause quoted with its sub-items keeps to one line in the listing. */
const firstLine = (text: string): string => (text.includes('\n') ? `${text.split('\n')[0]} …` : text);

export function list(io: Io, options: { json?: boolean; rules?: string[] }): number {
  const engine = openEngine(io, { packs: packFiles(options.rules) });
  if (typeof engine === 'number') return engine;
  if (options.json) {
    const packs = engine.packs.map((p) => ({
      id: p.id,
      standard: p.standard,
      version: p.version,
      title: p.title,
      title_en: p.title_en,
      document_number: p.document_number,
      effective_from: p.effective_from,
      effective_to: p.effective_to ?? null,
      hash: p.hash,
      site_determination: p.site_determination,
      ...(p.supersedes ? { supersedes: p.supersedes } : {}),
      ...(p.dropped ? { dropped: p.dropped } : {}),
      rules: p.rules.map((r) => ({
        id: r.id,
        clause: r.clause,
        text: r.text,
        unverified: r.unverified,
        ...(r.provenance ? { provenance: r.provenance } : {}),
        ...(r.supersedes ? { supersedes: r.supersedes } : {}),
        ...(r.instrument ? { instrument: r.instrument } : {}),
      })),
    }));
    line(io.stdout, JSON.stringify(packs, null, 2));
    return EXIT.ok;
  }
  for (const p of engine.packs) {
    line(io.stdout, `${p.id}  v${p.version}  ${p.effective_from} – ${p.effective_to ?? 'in force'}  ${p.rules.length} rules  ${p.title}`);
    for (const r of p.rules) line(io.stdout, `  ${r.id.padEnd(16)} ${r.clause.padEnd(10)} ${witness(r)}${firstLine(r.text)}`);
  }
  return EXIT.ok;
}
