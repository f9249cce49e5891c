// Site-level determination (GB 35181's comprehensive determination) over several findings.
// Run: npx tsup && node examples/api-site.mjs
import { readFileSync } from 'node:fs';
import { createEngine } from '../dist/index.js';

// The fire-safety excerpts under test/fixtures (the full pack follows in rules/).
const pack = (year) => new URL(`../test/fixtures/packs/fire-safety/${year}.yaml`, import.meta.url).pathname;
const engine = createEngine({ packs: [pack(2017), pack(2025)] });

const site = JSON.parse(readFileSync(new URL('./site.json', import.meta.url), 'utf8'));
const verdict = engine.classifySite(site);

console.log(`site: ${verdict.level} (${verdict.path ?? 'no path'}) on ${verdict.pack.id}`);
for (const element of verdict.elements) {
  console.log(`  ${element.status}\t${element.element}\t${element.clause}\t← ${element.findings.join(', ')}`);
}
for (const branch of verdict.branches) {
  console.log(`  branch ${branch.id}: applies ${branch.applies}, ${branch.met} met of at least ${branch.at_least}`);
}
