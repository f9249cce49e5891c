/**
 * Synthetic packs of any size for the flat-cost target: rule i reads its own two observation
 * facts, `m_i` (a measurement) and `ok_i` (a check), in the shape the real packs have:
 * any( m_i > 100, all( ok_i = false, m_i ≥ 50 ) ).
 */
import { compilePack, type CompiledPack } from '../src/compile/compile-pack.js';
import type { Pack } from '../src/pack/schema.js';

export function syntheticPack(rules: number): CompiledPack {
  const facts: Pack['facts'] = {};
  const list: Pack['rules'] = [];
  for (let i = 0; i < rules; i++) {
    facts[`m_${i}`] = { type: 'number', kind: 'observation', label: `测量${i}`, label_en: `measurement ${i}` };
    facts[`ok_${i}`] = { type: 'boolean', kind: 'observation', label: `检查${i}`, label_en: `check ${i}` };
    list.push({
      id: `S-${i}`,
      clause: `第${i + 1}项`,
      text: `第${i + 1}项`,
      text_en: `item ${i + 1}`,
      when: {
        any: [
          { fact: `m_${i}`, operator: 'greaterThan', value: 100 },
          { all: [{ fact: `ok_${i}`, operator: 'equal', value: false }, { fact: `m_${i}`, operator: 'greaterThanInclusive', value: 50 }] },
        ],
      },
      examples: [
        { facts: { [`m_${i}`]: 101 }, expect: 'major' },
        { facts: { [`m_${i}`]: 10, [`ok_${i}`]: true }, expect: 'general' },
      ],
    });
  }
  return compilePack({
    id: `synthetic-${rules}`,
    version: '1.0.0',
    title: `合成规则包（${rules}条）`,
    title_en: `synthetic pack of ${rules} rules`,
    standard: { id: `synthetic-${rules}`, issuer: 'bench', document_number: 'bench', issued: '2026-01-01', effective_from: '2026-01-01' },
    facts,
    rules: list,
  });
}
