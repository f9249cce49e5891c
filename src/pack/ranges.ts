/**
 * Ranges of limit tables, read exactly as the official tables print them:
 * 「A≤1000」「1000＜A≤2500」「A＞10000」「5≤Q＜10」「Q≥100」. Full-width and half-width signs alike.
 */

export interface Bound {
  value: number;
  inclusive: boolean;
}

export interface Range {
  lower?: Bound;
  upper?: Bound;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const LESS = String.raw`(<=|<|≤|＜|≦)`;
const GREATER = String.raw`(>=|>|≥|＞|≧)`;
const SYMBOL = String.raw`([A-Za-z\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*)`;

// lo <(=) X <(=) hi   |   X <(=) hi   |   X >(=) lo   |   lo <(=) X
const BETWEEN = new RegExp(String.raw`^${NUMBER}\s*${LESS}\s*${SYMBOL}\s*${LESS}\s*${NUMBER}$`);
const BELOW = new RegExp(String.raw`^${SYMBOL}\s*${LESS}\s*${NUMBER}$`);
const ABOVE = new RegExp(String.raw`^${SYMBOL}\s*${GREATER}\s*${NUMBER}$`);
const ABOVE_LEFT = new RegExp(String.raw`^${NUMBER}\s*${LESS}\s*${SYMBOL}$`);

const inclusive = (sign: string): boolean => /[=≤≥≦≧]/.test(sign);

/** Parses a printed range; undefined when it is not one of the printed forms. */
export function parseRange(printed: string): Range | undefined {
  const s = printed.trim();
  let m: RegExpExecArray | null;
  if ((m = BETWEEN.exec(s))) {
    const range = {
      lower: { value: Number(m[1]), inclusive: inclusive(m[2]!) },
      upper: { value: Number(m[5]), inclusive: inclusive(m[4]!) },
    };
    return range.lower.value < range.upper.value ? range : undefined;
  }
  if ((m = BELOW.exec(s))) return { upper: { value: Number(m[3]), inclusive: inclusive(m[2]!) } };
  if ((m = ABOVE.exec(s))) return { lower: { value: Number(m[3]), inclusive: inclusive(m[2]!) } };
  if ((m = ABOVE_LEFT.exec(s))) return { lower: { value: Number(m[1]), inclusive: inclusive(m[2]!) } };
  return undefined;
}

export function inRange(range: Range, x: number): boolean {
  const { lower, upper } = range;
  if (lower && (lower.inclusive ? x < lower.value : x <= lower.value)) return false;
  if (upper && (upper.inclusive ? x > upper.value : x >= upper.value)) return false;
  return true;
}

export type Seam = 'adjacent' | 'gap' | 'overlap';

/** How row `next` meets the row before it: exactly adjacent, leaving a gap, or overlapping. */
export function seam(previous: Range, next: Range): Seam {
  if (!previous.upper || !next.lower) return 'overlap';
  const a = previous.upper;
  const b = next.lower;
  if (a.value < b.value) return 'gap';
  if (a.value > b.value) return 'overlap';
  if (a.inclusive && b.inclusive) return 'overlap';
  if (!a.inclusive && !b.inclusive) return 'gap';
  return 'adjacent';
}
