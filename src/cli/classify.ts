/**
 * `hazard-rules classify [--standard id] [--pack id] <findings.ndjson | ->`: one verdict per
 * line, NDJSON in and out, in constant memory (lines are read and written one at a time, and
 * output waits when the consumer is slow). A line that cannot be judged is reported on stderr
 * with its line number and the batch goes on; the exit code is 2 if any line failed.
 *
 * `--site site.json` judges one site (site-level determination) instead.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createEngine, type Engine } from '../classify/engine.js';
import type { SiteVerdict, Verdict } from '../classify/verdict.js';
import { HazardRulesError } from '../errors.js';
import { EXIT, line, packFiles, type Io } from './io.js';
import { formatSiteVerdict, formatVerdict } from './pretty.js';

export interface ClassifyOptions {
  standard?: string;
  pack?: string;
  site?: string;
  pretty?: boolean;
  rules?: string[];
  today?: string;
}

export async function classify(io: Io, input: string | undefined, options: ClassifyOptions): Promise<number> {
  const engine = createEngine({ packs: packFiles(options.rules), ...(options.today ? { today: () => options.today! } : {}) });
  if (options.site) return classifySite(io, engine, options);
  if (!input) {
    line(io.stderr, 'usage: hazard-rules classify [--standard id] <findings.ndjson | ->');
    return EXIT.usage;
  }
  const source = input === '-' ? io.stdin : createReadStream(input, 'utf8');
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let number = 0;
  let judged = 0;
  const failures: number[] = [];
  const counts = { major: 0, general: 0, undetermined: 0 };

  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let output: string;
    try {
      const finding = JSON.parse(text) as Record<string, unknown>;
      if (options.standard && finding.standard === undefined && finding.pack === undefined) finding.standard = options.standard;
      if (options.pack && finding.pack === undefined) finding.pack = options.pack;
      const verdict: Verdict = engine.classify(finding as never);
      counts[verdict.level]++;
      judged++;
      output = options.pretty ? formatVerdict(verdict) : JSON.stringify(verdict);
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof HazardRulesError)) throw error;
      failures.push(number);
      const what = error instanceof HazardRulesError ? `${error.code}: ${error.message}` : `malformed JSON: ${(error as Error).message}`;
      line(io.stderr, `${input === '-' ? '<stdin>' : input}:${number}: ${what}`);
      continue;
    }
    if (!io.stdout.write(output + '\n')) await once(io.stdout, 'drain');
  }
  line(
    io.stderr,
    `${judged} judged (${counts.major} major, ${counts.general} general, ${counts.undetermined} undetermined), ${failures.length} failed` +
      (failures.length > 0 ? ` (lines ${failures.slice(0, 20).join(', ')}${failures.length > 20 ? ', …' : ''})` : ''),
  );
  return failures.length > 0 ? EXIT.inputErrors : EXIT.ok;
}

function classifySite(io: Io, engine: Engine, options: ClassifyOptions): number {
  let verdict: SiteVerdict;
  try {
    const input = JSON.parse(readFileSync(options.site!, 'utf8')) as Record<string, unknown>;
    if (options.standard && input.standard === undefined && input.pack === undefined) input.standard = options.standard;
    if (options.pack && input.pack === undefined) input.pack = options.pack;
    verdict = engine.classifySite(input as never);
  } catch (error) {
    if (!(error instanceof SyntaxError || error instanceof HazardRulesError)) throw error;
    line(io.stderr, `${options.site}: ${error instanceof HazardRulesError ? `${error.code}: ` : ''}${error.message}`);
    return EXIT.inputErrors;
  }
  line(io.stdout, options.pretty ? formatSiteVerdict(verdict) : JSON.stringify(verdict));
  return EXIT.ok;
}
