/** `hazard-rules validate [files…]`: every problem of every pack, as file:line:col code message. */
import { formatDiagnostic, type Language } from '../pack/diagnostics.js';
import { validatePack } from '../pipeline.js';
import { EXIT, line, packFiles, resolveTargets, type Io } from './io.js';

export function validate(io: Io, files: string[], options: { lang?: Language }): number {
  const targets = files.length === 0 ? packFiles([]) : resolveTargets(files);
  let errors = 0;
  let warnings = 0;
  for (const file of targets) {
    const { diagnostics } = validatePack(file);
    for (const d of diagnostics) {
      line(io.stdout, formatDiagnostic(d, options.lang));
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }
  line(io.stderr, `${targets.length} file(s): ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? EXIT.failed : EXIT.ok;
}
