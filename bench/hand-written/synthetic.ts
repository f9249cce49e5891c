/** The floor for a synthetic pack: one hand-shaped closure per rule, two-valued, all visited. */
type F = Record<string, any>;

export function syntheticByHand(rules: number): (f: F) => { level: 'major' | 'general'; matches: string[] } {
  const checks = Array.from({ length: rules }, (_, i) => {
    const m = `m_${i}`;
    const ok = `ok_${i}`;
    const id = `S-${i}`;
    return (f: F) => (f[m] > 100 || (f[ok] === false && f[m] >= 50) ? id : undefined);
  });
  return (f) => {
    const matches: string[] = [];
    for (const check of checks) {
      const id = check(f);
      if (id) matches.push(id);
    }
    return { level: matches.length > 0 ? 'major' : 'general', matches };
  };
}
