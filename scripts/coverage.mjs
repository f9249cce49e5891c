// Prints the README's coverage table from the bundled packs (`npm run coverage` rewrites it in
// README.md between the <!-- coverage --> markers; test/packs/coverage.test.ts keeps it true).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../dist/index.js';

export function coverageTable() {
  const engine = createEngine();
  const rows = engine.packs.map((p) => {
    const rules = engine.pack(p.id).source.rules;
    const count = (f) => rules.filter(f).length;
    const witnessed = count((r) => r.provenance === 'verbatim-2');
    const single = count((r) => r.provenance === 'verbatim-1');
    const unverified = count((r) => r.unverified === true);
    const unmarked = rules.length - witnessed - single - count((r) => r.unverified === true && r.provenance !== 'verbatim-1' && r.provenance !== 'verbatim-2');
    const provenance = [
      witnessed ? `${witnessed} two witnesses` : '',
      single ? `${single} single witness` : '',
      unverified ? `${unverified} unverified` : '',
      unmarked > 0 && !witnessed && !single ? `${unmarked} without a status in the reference` : unmarked > 0 ? `${unmarked} without a status in the reference` : '',
    ].filter(Boolean).join(', ');
    const period = `${p.effective_from} – ${p.effective_to ? p.effective_to : 'in force'}`;
    return `| \`${p.standard}\` | \`${p.id}\` | ${p.document_number} | ${period} | ${rules.length} | ${provenance} |`;
  });
  return ['| standard | edition (pack) | document | in force (to is exclusive) | rules | text provenance |', '| --- | --- | --- | --- | ---: | --- |', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = new URL('../README.md', import.meta.url);
  const text = readFileSync(readme, 'utf8');
  const updated = text.replace(/<!-- coverage -->[\s\S]*?<!-- \/coverage -->/, `<!-- coverage -->\n${coverageTable()}\n<!-- /coverage -->`);
  writeFileSync(readme, updated);
  console.log(coverageTable());
}
