/**
 * hazard-rules — China's major-accident-hazard determination standards as rule packs,
 * compiled into fast, explainable engines.
 *
 * The data's way: YAML → load → validate → compile → classify / classifySite.
 */

// Engine
export { createEngine } from './classify/engine.js';
export type { Engine, EngineOptions, PackInfo, ManyResult } from './classify/engine.js';
export type { Finding, SiteInput } from './classify/finding.js';
export type {
  Verdict,
  SiteVerdict,
  Match,
  Missing,
  MissingReason,
  AssumptionUsed,
  Caveat,
  GapCaveat,
  UnverifiedCaveat,
  PackRef,
  DateBasis,
  SiteElement,
  ElementStatus,
} from './classify/verdict.js';
export { chinaToday } from './classify/editions.js';
export type {
  FindingExplanation,
  RuleExplanation,
  RuleStatus,
  NodeExplanation,
  LeafExplanation,
  GroupExplanation,
  FactValue,
  ValueSource,
  TruthName,
} from './classify/explain.js';
export { formatExplanation } from './classify/explain.js';

// Packs: load, validate, compile
export { loadPack, validatePack, loadCompiledPack } from './pipeline.js';
export type { PackSource, PackValidation } from './pipeline.js';
export { compilePack, hashPack } from './compile/compile-pack.js';
export type { CompiledPack, CompiledRule } from './compile/compile-pack.js';
export { runExamples } from './classify/examples.js';
export type { ExampleResult } from './classify/examples.js';
export { bundledPackFiles } from './bundled.js';
export { packSchemas, packJsonSchema, OPERATORS, FACT_TYPES } from './pack/schema.js';
export type { Pack, Rule, Fact, FactType, Condition, LeafCondition, Example, Table, Gap, Determination, Level, SiteLevel, Operator } from './pack/schema.js';
export type { LoadOptions } from './pack/load.js';
export { formatDiagnostic, DIAGNOSTIC_CODES } from './pack/diagnostics.js';
export type { Diagnostic, DiagnosticCode, Severity, Language } from './pack/diagnostics.js';

// Errors
export { HazardRulesError, PackError } from './errors.js';
export { FindingError } from './compile/facts.js';
export type { FactIssue, FactIssueCode } from './compile/facts.js';

// Interop
export { toJsonRulesEngine, createJsonRulesEngine, runJsonRulesEngine } from './interop/json-rules-engine.js';
export type { JsonRulesEngineExport, ExportOptions } from './interop/json-rules-engine.js';

// A–D supervision grading (分级分类监管): engine.grade / engine.gradeMany; schemes as YAML.
export { loadScheme, validateScheme, schemeJsonSchema, resolveScheme, bundledSchemeFiles, DEFAULT_SCHEME } from './grade/index.js';
export type { CompiledScheme, GradeResult, EnterpriseInput } from './grade/index.js';
export type { GradingScheme } from './grade/scheme.js';
export type { Reason, GradeCaveat } from './grade/grade.js';
export type { GradeOptions } from './classify/engine.js';
// Reports
export { renderReport, countsByGroup } from './report/html.js';
export type { ReportInput, ReportError, ReportGrade, GroupCount, RenderOptions } from './report/html.js';
