/**
 * Diagnostics: every problem found in a pack is data, with a stable code, a position and a
 * message in Chinese and English. Tests assert on codes; people read the messages.
 */

export type Severity = 'error' | 'warning';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  file: string;
  line: number;
  col: number;
  /** JSON pointer into the pack, where one applies (`/rules/3/when/fact`). */
  path: string;
  message: { zh: string; en: string };
}

type Args = Record<string, string | number>;
type Template = { zh: (a: Args) => string; en: (a: Args) => string; severity?: Severity };

/**
 * The catalogue of codes. Each entry says what went wrong in both languages; `a` holds the
 * specifics (fact name, rule id …). Adding a check means adding a code here first.
 */
const CATALOGUE = {
  // reading the file
  'file-unreadable': {
    zh: (a) => `无法读取文件：${a.reason}`,
    en: (a) => `cannot read the file: ${a.reason}`,
  },
  'file-too-large': {
    zh: (a) => `文件过大（${a.size} 字节），上限为 ${a.limit} 字节`,
    en: (a) => `file too large (${a.size} bytes); the limit is ${a.limit} bytes`,
  },
  'yaml-syntax': {
    zh: (a) => `YAML 语法错误：${a.detail}`,
    en: (a) => `YAML syntax error: ${a.detail}`,
  },
  'yaml-indentation': {
    zh: (a) => `缩进错误：此行的缩进与同一层级的其他键不一致（${a.detail}）`,
    en: (a) => `bad indentation: this line is not aligned with the other keys at its level (${a.detail})`,
  },
  'yaml-duplicate-key': {
    zh: (a) => `键 “${a.key}” 重复出现`,
    en: (a) => `key "${a.key}" appears more than once`,
  },
  'yaml-alias-limit': {
    zh: (a) => `别名（alias）展开过多，疑似“十亿笑声”炸弹：${a.detail}`,
    en: (a) => `too many alias expansions (a "billion laughs" bomb?): ${a.detail}`,
  },
  'empty-file': {
    zh: () => `文件为空：没有任何 YAML 内容`,
    en: () => `the file is empty: it holds no YAML content`,
  },
  'yaml-multiple-documents': {
    zh: () => `一个规则包文件只能包含一个 YAML 文档`,
    en: () => `a rule-pack file must hold exactly one YAML document`,
  },
  'nesting-too-deep': {
    zh: (a) => `嵌套层数超过 ${a.limit} 层`,
    en: (a) => `nested more than ${a.limit} levels deep`,
  },
  'forbidden-key': {
    zh: (a) => `不允许使用键 “${a.key}”（可能篡改对象原型）`,
    en: (a) => `key "${a.key}" is not allowed (it could tamper with object prototypes)`,
  },
  // the JSON Schema
  'schema-required': {
    zh: (a) => `缺少必填项 “${a.key}”`,
    en: (a) => `missing required key "${a.key}"`,
  },
  'schema-unknown-key': {
    zh: (a) => `未知的键 “${a.key}”${a.hint ? `（是否应为 “${a.hint}”？）` : ''}`,
    en: (a) => `unknown key "${a.key}"${a.hint ? ` (did you mean "${a.hint}"?)` : ''}`,
  },
  'schema-type': {
    zh: (a) => `类型错误：应为 ${a.expected}`,
    en: (a) => `wrong type: expected ${a.expected}`,
  },
  'schema-enum': {
    zh: (a) => `取值无效，应为以下之一：${a.allowed}`,
    en: (a) => `invalid value; expected one of: ${a.allowed}`,
  },
  'schema-format': {
    zh: (a) => `格式不符：${a.what}`,
    en: (a) => `bad format: ${a.what}`,
  },
  'schema-invalid': {
    zh: (a) => `不符合规则包格式：${a.detail}`,
    en: (a) => `does not fit the rule-pack format: ${a.detail}`,
  },
  'bad-condition': {
    zh: () => `条件应为 all / any / not 之一，或 { fact, operator, value }`,
    en: () => `a condition is one of all / any / not, or { fact, operator, value }`,
  },
  // meaning
  'unknown-fact': {
    zh: (a) => `未声明的事实 “${a.fact}”${a.hint ? `（是否应为 “${a.hint}”？）` : ''}`,
    en: (a) => `fact "${a.fact}" is not declared${a.hint ? ` (did you mean "${a.hint}"?)` : ''}`,
  },
  'reserved-name': {
    zh: (a) => `名称 “${a.name}” 为保留字，不能用作事实或表名`,
    en: (a) => `"${a.name}" is reserved and cannot name a fact or table`,
  },
  'enum-without-values': {
    zh: (a) => `事实 “${a.fact}” 的类型为 ${a.type}，必须列出 values`,
    en: (a) => `fact "${a.fact}" is of type ${a.type} and must list its values`,
  },
  'values-not-allowed': {
    zh: (a) => `事实 “${a.fact}” 的类型为 ${a.type}，不应列出 values`,
    en: (a) => `fact "${a.fact}" is of type ${a.type} and takes no values list`,
  },
  'operator-type-mismatch': {
    zh: (a) => `运算符 ${a.operator} 不适用于 ${a.type} 类型的事实 “${a.fact}”（可用：${a.allowed}）`,
    en: (a) =>
      `operator ${a.operator} does not fit fact "${a.fact}" of type ${a.type} (allowed: ${a.allowed})`,
  },
  'value-type-mismatch': {
    zh: (a) => `事实 “${a.fact}” 的比较值类型不符：应为 ${a.expected}`,
    en: (a) => `value compared with fact "${a.fact}" has the wrong type: expected ${a.expected}`,
  },
  'enum-value-undeclared': {
    zh: (a) => `“${a.value}” 不是事实 “${a.fact}” 声明的取值（可用：${a.allowed}）`,
    en: (a) => `"${a.value}" is not a declared value of fact "${a.fact}" (declared: ${a.allowed})`,
  },
  'duplicate-rule-id': {
    zh: (a) => `规则编号 “${a.id}” 重复`,
    en: (a) => `rule id "${a.id}" is used more than once`,
  },
  'rule-without-observation': {
    zh: (a) => `规则 “${a.id}” 未读取任何观察事实（kind: observation），任何检查发现都无法适用它`,
    en: (a) => `rule "${a.id}" reads no observation fact, so no finding can ever speak to it`,
  },
  'missing-major-example': {
    zh: (a) => `规则 “${a.id}” 缺少 expect: major 的示例`,
    en: (a) => `rule "${a.id}" has no example with expect: major`,
  },
  'missing-non-major-example': {
    zh: (a) => `规则 “${a.id}” 缺少非重大（general 或 undetermined）的示例`,
    en: (a) => `rule "${a.id}" has no non-major example (general or undetermined)`,
  },
  'example-invalid': {
    zh: (a) => `示例的事实无效：${a.detail}`,
    en: (a) => `example facts are invalid: ${a.detail}`,
  },
  'example-mismatch': {
    zh: (a) => `示例应判定为 ${a.expected}，实际为 ${a.actual}${a.detail ? `：${a.detail}` : ''}`,
    en: (a) => `example expects ${a.expected} but the pack gives ${a.actual}${a.detail ? `: ${a.detail}` : ''}`,
  },
  'pack-period-invalid': {
    zh: (a) => `施行期间无效：effective_to（${a.to}）应晚于 effective_from（${a.from}）`,
    en: (a) => `invalid period: effective_to (${a.to}) must be after effective_from (${a.from})`,
  },
  'rule-dated-outside-pack': {
    zh: (a) => `规则 “${a.id}” 的施行日期 ${a.date} 超出本版本的施行期间（${a.period}）`,
    en: (a) => `rule "${a.id}" is dated ${a.date}, outside this edition's period (${a.period})`,
  },
  'table-bad-range': {
    zh: (a) => `无法解析表格区间 “${a.range}”（示例：1000＜A≤2500、A≤1000、Q≥100）`,
    en: (a) => `cannot read table range "${a.range}" (e.g. 1000＜A≤2500, A≤1000, Q≥100)`,
  },
  'table-overlap': {
    zh: (a) => `表格区间 “${a.range}” 与上一行 “${a.previous}” 重叠`,
    en: (a) => `table range "${a.range}" overlaps the previous row "${a.previous}"`,
  },
  'table-gap': {
    zh: (a) => `表格区间 “${a.previous}” 与 “${a.range}” 之间有空缺`,
    en: (a) => `table leaves a gap between "${a.previous}" and "${a.range}"`,
  },
  'table-input-not-number': {
    zh: (a) => `表格的输入事实 “${a.fact}” 应为数值类型`,
    en: (a) => `table input fact "${a.fact}" must be a number or integer`,
  },
  'undeclared-default': {
    zh: (a) => `规则 “${a.id}” 假定了事实 “${a.fact}” 的默认值，但规则包未在 defaults 中声明`,
    en: (a) => `rule "${a.id}" assumes a default for fact "${a.fact}", but the pack declares none in defaults`,
  },
  'default-type-mismatch': {
    zh: (a) => `事实 “${a.fact}” 的默认值类型不符：应为 ${a.expected}`,
    en: (a) => `default for fact "${a.fact}" has the wrong type: expected ${a.expected}`,
  },
  'unused-default': {
    zh: (a) => `默认值 “${a.fact}” 未被任何规则的 assume 使用`,
    en: (a) => `default "${a.fact}" is not assumed by any rule`,
    severity: 'warning',
  },
  'unknown-element': {
    zh: (a) => `判定要素 “${a.element}” 不是本规则包中的规则`,
    en: (a) => `element "${a.element}" is not a rule of this pack`,
  },
  'empty-element-group': {
    zh: (a) => `分组 “${a.group}” 中没有任何规则`,
    en: (a) => `no rule is in group "${a.group}"`,
  },
  'threshold-unreachable': {
    zh: (a) => `要求至少 ${a.at_least} 项要素，但该子集只有 ${a.count} 项`,
    en: (a) => `requires at least ${a.at_least} elements but the subset holds only ${a.count}`,
  },
  'site-example-mismatch': {
    zh: (a) => `场所示例应判定为 ${a.expected}，实际为 ${a.actual}`,
    en: (a) => `site example expects ${a.expected} but the pack gives ${a.actual}`,
  },
  'gap-dated-outside-pack': {
    zh: (a) => `缺口 “${a.id}” 的日期 ${a.date} 超出本版本的施行期间（${a.period}）`,
    en: (a) => `gap "${a.id}" is dated ${a.date}, outside this edition's period (${a.period})`,
  },
  'derived-operation': {
    zh: (a) => `派生事实 “${a.fact}” 须恰好声明一种运算（${a.operations}），此处为 ${a.count} 种`,
    en: (a) => `derived fact "${a.fact}" must declare exactly one operation (${a.operations}); it declares ${a.count}`,
  },
  'derived-operand-type': {
    zh: (a) => `派生事实 “${a.fact}” 的运算 ${a.operation} 不能使用 “${a.operand}”：应为${a.expected}`,
    en: (a) => `derived fact "${a.fact}": ${a.operation} cannot take "${a.operand}"; expected ${a.expected}`,
  },
  'derived-cycle': {
    zh: (a) => `派生事实循环依赖：${a.cycle}`,
    en: (a) => `derived facts depend on themselves: ${a.cycle}`,
  },
  'provenance-needs-unverified': {
    zh: (a) => `规则 “${a.id}” 的文本来源为 ${a.provenance}，须同时标注 unverified: true 并在 note 中说明`,
    en: (a) => `rule "${a.id}" has provenance ${a.provenance}: it must also say unverified: true and explain in note`,
  },
  'fact-bounds-invalid': {
    zh: (a) => `事实 “${a.fact}” 的取值范围无效：${a.detail}`,
    en: (a) => `fact "${a.fact}" has invalid bounds: ${a.detail}`,
  },
  'unknown-operator': {
    zh: (a) => `未知的运算符 “${a.operator}”${a.hint ? `（是否应为 “${a.hint}”？）` : ''}`,
    en: (a) => `unknown operator "${a.operator}"${a.hint ? ` (did you mean "${a.hint}"?)` : ''}`,
  },
  'duplicate-clause': {
    zh: (a) => `规则 “${a.id}” 与 “${a.other}” 引用同一条款 “${a.clause}”`,
    en: (a) => `rules "${a.id}" and "${a.other}" cite the same clause "${a.clause}"`,
    severity: 'warning',
  },
  'full-width-character': {
    zh: (a) => `此处的全角字符 “${a.char}” 应为半角 “${a.ascii}”（输入法误输入？YAML 只认半角）`,
    en: (a) => `full-width "${a.char}" where YAML needs ASCII "${a.ascii}" (an input-method slip?)`,
  },
  // grading schemes
  'unknown-letter': {
    zh: (a) => `等级 “${a.letter}” 不在本方案的等级表（scale）中：${a.allowed}`,
    en: (a) => `letter "${a.letter}" is not on this scheme's scale: ${a.allowed}`,
  },
  'inspection-letter-missing': {
    zh: (a) => `等级 “${a.letter}” 没有检查频次（inspection）`,
    en: (a) => `letter "${a.letter}" has no inspection frequency`,
  },
  'unknown-base-part': {
    zh: (a) => `“${a.part}” 不是本方案的基础评定项（base.parts）`,
    en: (a) => `"${a.part}" is not a base part of this scheme`,
  },
  'scheme-example-mismatch': {
    zh: (a) => `示例应评为 ${a.expected}，实际为 ${a.actual}${a.detail ? `（${a.detail}）` : ''}`,
    en: (a) => `example expects ${a.expected} but the scheme gives ${a.actual}${a.detail ? ` (${a.detail})` : ''}`,
  },
  'duplicate-id': {
    zh: (a) => `编号 “${a.id}” 重复`,
    en: (a) => `id "${a.id}" is used more than once`,
  },
} satisfies Record<string, Template>;

export type DiagnosticCode = keyof typeof CATALOGUE;
export const DIAGNOSTIC_CODES = Object.keys(CATALOGUE) as DiagnosticCode[];

export function diagnostic(
  code: DiagnosticCode,
  args: Args,
  where: { file: string; path?: string } & Position,
): Diagnostic {
  const template: Template = CATALOGUE[code];
  return {
    code,
    severity: template.severity ?? 'error',
    file: where.file,
    line: where.line,
    col: where.col,
    path: where.path ?? '',
    message: { zh: template.zh(args), en: template.en(args) },
  };
}

export type Language = 'zh' | 'en' | 'both';

/** `file:line:col code message`, the form editors and CI logs understand. */
export function formatDiagnostic(d: Diagnostic, lang: Language = 'both'): string {
  const message =
    lang === 'zh' ? d.message.zh : lang === 'en' ? d.message.en : `${d.message.zh} | ${d.message.en}`;
  const level = d.severity === 'warning' ? ' (warning)' : '';
  return `${d.file}:${d.line}:${d.col} ${d.code}${level} ${message}`;
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

/** The nearest name to a misspelt one, for "did you mean" hints. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
