// Run a bundled pack on json-rules-engine, and compare with hazard-rules' own verdicts.
// Run: npx tsup && node examples/json-rules-engine.mjs
import { createEngine, createJsonRulesEngine, runJsonRulesEngine, toJsonRulesEngine } from '../dist/index.js';

const engine = createEngine();
const pack = engine.editionFor('fireworks', '2026-03-02');

const exported = toJsonRulesEngine(pack);
console.log(`${exported.rules.length} json-rules-engine rules, ${exported.facts.length} computed facts`);
console.log(JSON.stringify(exported.rules.find((r) => r.name === 'FW2017-04')));

const complete = { actual_persons_present: 8, approved_max_persons: 6 };
// json-rules-engine is two-valued: give it every fact the rules read (here only FW2017-04's).
const jreEngine = createJsonRulesEngine({ ...pack.source, rules: pack.source.rules.filter((r) => r.id === 'FW2017-04') });
const fired = await runJsonRulesEngine(jreEngine, complete, '2026-03-02');
const ours = engine.classify({ standard: 'fireworks', observed_at: '2026-03-02', facts: complete });
console.log(`json-rules-engine fired: ${fired.join(', ')}`);
console.log(`hazard-rules: ${ours.level} by ${ours.matches.map((m) => m.rule).join(', ')}`);
console.log(`agree: ${fired.join() === ours.matches.map((m) => m.rule).join()}`);
