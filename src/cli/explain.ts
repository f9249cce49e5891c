/**
 * `hazard-rules explain <finding.json>`: every rule of the edition chosen for one finding —
 * matched, not matched, unknown, not reached or not in force — with each leaf's value against
 * its threshold. `--json` prints the explanation as JSON. `-` reads the finding from stdin.
 */
import { readFileSync } from 'node:fs';
import { formatExplanation } from '../classify/explain.js';
import { HazardRulesError } from '../errors.js';
import { EXIT, line, openEngine, packFiles, type Io } from './io.js';

export interface ExplainOptions {
  json?: boolean;
  rules?: string[];
  today?: string;
  standard?: string;
  pack?: string;
}

export async function explain(io: Io, input: string | undefined, options: ExplainOptions): Promise<number> {
  if (!input) {
    line(io.stderr, 'usage: hazard-rules explain [--json] [--rules …] <finding.json | ->');
    return EXIT.usage;
  }
  let text: string;
  try {
    text = input === '-' ? await readAll(io) : readFileSync(input, 'utf8');
  } catch (error) {
    line(io.stderr, `${input}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  let finding: Record<string, unknown>;
  try {
    finding = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    line(io.stderr, `${input}: not a JSON finding (${(error as Error).message})`);
    return EXIT.inputErrors;
  }
  if (finding === null || typeof finding !== 'object' || Array.isArray(finding)) {
    line(io.stderr, `${input}: a finding is one JSON object { standard, observed_at, facts, … }`);
    return EXIT.inputErrors;
  }
  const engine = openEngine(io, { packs: packFiles(options.rules), ...(options.today ? { today: () => options.today! } : {}) });
  if (typeof engine === 'number') return engine;
  try {
    const explanation = engine.explain({
      ...(options.standard && finding.standard === undefined ? { standard: options.standard } : {}),
      ...(options.pack && finding.pack === undefined ? { pack: options.pack } : {}),
      ...finding,
    } as Parameters<typeof engine.explain>[0]);
    line(io.stdout, options.json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof HazardRulesError)) throw error;
    line(io.stderr, `${input}: ${error.code}: ${error.message}`);
    return EXIT.inputErrors;
  }
}

async function readAll(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
