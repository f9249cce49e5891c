/** `hazard-rules test [packs…]`: runs every rule's examples; ends with `N passed, N failed`. */
import { formatDiagnostic, type Language } from '../pack/diagnostics.js';
import { validatePack } from '../pipeline.js';
import { EXIT, line, packFiles, resolveTargets, type Io } from './io.js';

export function test(io: Io, targets: string[], options: { lang?: Language }): number {
  const files = targets.length === 0 ? packFiles([]) : resolveTargets(targets);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const { examples, diagnostics } = validatePack(file);
    if (!examples) {
      for (const d of diagnostics) line(io.stdout, formatDiagnostic(d, options.lang));
      line(io.stdout, `FAIL ${file}: the pack does not validate, no example ran`);
      failed++;
      continue;
    }
    const failures = examples.filter((r) => !r.ok);
    passed += examples.length - failures.length;
    failed += failures.length;
    line(io.stdout, `${failures.length === 0 ? 'ok  ' : 'FAIL'} ${file}: ${examples.length - failures.length}/${examples.length} examples`);
    for (const f of failures) {
      line(io.stdout, `  ${f.rule ?? 'determination'} example ${f.index}${f.name ? ` (${f.name})` : ''}: expected ${f.expected}, got ${f.actual}${f.detail ? ` — ${f.detail}` : ''}`);
    }
  }
  line(io.stdout, `${passed} passed, ${failed} failed`);
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

