// Site-level determination (GB 35181's comprehensive determination) over several findings.
// Run: npx tsup && node examples/api-site.mjs
import { readFileSync } from 'node:fs';
import { createEngine } from '../dist/index.js';

// The bundled packs: GB 35181-2017 judges this 2024 site (a 2026 site would meet the 2025 gap).
const engine = createEngine();

const site = JSON.parse(readFileSync(new URL('./site.json', import.meta.url), 'utf8'));
const verdict = engine.classifySite(site);

console.log(`site: ${verdict.level} (${verdict.path ?? 'no path'}) on ${verdict.pack.id}`);
for (const element of verdict.elements) {
  console.log(`  ${element.status}\t${element.element}\t${element.clause}\t← ${element.findings.join(', ')}`);
}
for (const branch of verdict.branches) {
  console.log(`  branch ${branch.id}: applies ${branch.applies}, ${branch.met} met of at least ${branch.at_least}`);
}
