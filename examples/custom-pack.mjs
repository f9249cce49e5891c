// Write your own pack (here inline YAML), validate it, and judge findings with it.
// Run: npx tsup && node examples/custom-pack.mjs
import { createEngine, formatDiagnostic, loadCompiledPack, validatePack } from '../dist/index.js';

const yaml = (operator) => `
id: warehouse-demo-2026
version: 1.0.0
title: 仓库示例判定标准（示例，非官方文本）
title_en: Warehouse demo standard (an example, not an official text)
standard: { id: warehouse-demo, issuer: 示例, document_number: 示例〔2026〕1号, issued: 2026-01-01, effective_from: 2026-01-01 }
facts:
  stored_kg: { type: number, kind: observation, unit: kg, min: 0, label: 实际存储量, label_en: Quantity stored }
  approved_kg: { type: number, kind: observation, unit: kg, min: 0, label: 核定存储量, label_en: Approved quantity }
rules:
  - id: WH-1
    clause: 第一项
    text: 一、实际存储量超过核定存储量。
    text_en: 1. The quantity stored exceeds the approved quantity.
    unverified: true
    note: An example for the API, not an official text.
    when: { fact: stored_kg, operator: ${operator}, value: { fact: approved_kg } }
    examples:
      - { facts: { stored_kg: 120, approved_kg: 100 }, expect: major }
      - { facts: { stored_kg: 100, approved_kg: 100 }, expect: general }
      - { facts: { stored_kg: 120 }, expect: undetermined, missing: [approved_kg] }
`;

// A mistake is reported with its place, never thrown.
const broken = validatePack({ text: yaml('greaterThen'), file: 'warehouse.yaml' });
for (const d of broken.diagnostics) console.log(formatDiagnostic(d, 'en'));

// The correct pack: validated, its examples run, compiled.
const pack = loadCompiledPack({ text: yaml('greaterThan'), file: 'warehouse.yaml' });
const engine = createEngine({ packs: [pack] });
for (const facts of [{ stored_kg: 150, approved_kg: 100 }, { stored_kg: 90, approved_kg: 100 }, { stored_kg: 150 }]) {
  const v = engine.classify({ observed_at: '2026-06-01', facts });
  console.log(`${JSON.stringify(facts)} → ${v.level}${v.missing.length ? ` (missing ${v.missing[0].facts.join(', ')})` : ''}`);
}
