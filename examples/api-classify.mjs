// Classify findings with the bundled packs, and explain one of them.
// Run: npx tsup && node examples/api-classify.mjs
import { readFileSync } from 'node:fs';
import { createEngine, formatExplanation } from '../dist/index.js';

const engine = createEngine(); // every bundled pack

const findings = readFileSync(new URL('./findings.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

for (const finding of findings) {
  const verdict = engine.classify(finding);
  const why =
    verdict.level === 'major'
      ? verdict.matches.map((m) => `${m.clause} ${m.text}`).join('; ')
      : verdict.level === 'undetermined'
        ? `missing ${verdict.missing.flatMap((m) => m.facts).join(', ')}`
        : `checked ${verdict.checked.join(', ')}`;
  console.log(`${verdict.id}\t${verdict.level}\t${why}`);
}

// Why the first one is major: every rule of the edition, each fact against its threshold.
const explanation = engine.explain(findings[0]);
console.log(formatExplanation(explanation).split('\n').filter((l) => !l.includes('not reached') && !l.includes('no observation fact')).join('\n'));
