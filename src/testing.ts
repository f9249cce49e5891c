/**
 * `hazard-rules/testing`: fast-check arbitraries derived from rule packs, for your own
 * property-based suites. Requires fast-check (a peer dependency).
 */
export {
  thresholds,
  comparedPairs,
  factValueArbitrary,
  factsArbitrary,
  findingArbitrary,
  reachingFactsArbitrary,
  invalidFindingArbitrary,
  completionArbitrary,
} from './testing/arbitraries.js';
export type { FactValues, GeneratedFinding, FindingOptions, InvalidFinding } from './testing/arbitraries.js';
