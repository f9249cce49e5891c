/**
 * The command line: `hazard-rules <command> …`. Parses arguments and hands over to one file per
 * command. Returns the exit code instead of exiting, so tests run it in-process.
 */
import { parseArgs } from 'node:util';
import { packJsonSchema } from '../pack/schema.js';
import { classify } from './classify.js';
import { EXIT, line, type Io } from './io.js';
import { list } from './list.js';
import { test } from './test.js';
import { validate } from './validate.js';

const HELP = `hazard-rules — major-accident-hazard determination (重大事故隐患判定)

usage:
  hazard-rules list [--json]                       packs and their rules
  hazard-rules validate [files…] [--lang zh|en|both]   check packs; file:line:col code message
  hazard-rules test [packs…]                       run every rule's examples
  hazard-rules classify [--standard id] [--pack id] [--workers N] <findings.ndjson | ->
                                                   one verdict per line (NDJSON), in input order
  hazard-rules classify --site <site.json>         site-level determination
  hazard-rules schema                              the rule-pack JSON Schema

options:
  --rules <file|dir>   use these packs instead of the bundled ones (repeatable)
  --pretty             human-readable verdicts instead of NDJSON
  --today YYYY-MM-DD   the date for findings without observed_at (default: today, Asia/Shanghai)
`;

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        lang: { type: 'string' },
        standard: { type: 'string' },
        pack: { type: 'string' },
        site: { type: 'string' },
        pretty: { type: 'boolean' },
        rules: { type: 'string', multiple: true },
        today: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    line(io.stderr, `${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const lang = values.lang === 'zh' || values.lang === 'en' ? values.lang : 'both';
  if (values.help || !command) {
    line(command || values.help ? io.stdout : io.stderr, HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  switch (command) {
    case 'list':
      return list(io, { json: values.json, rules: values.rules });
    case 'validate':
      return validate(io, rest.length > 0 ? rest : values.rules ?? [], { lang });
    case 'test':
      return test(io, rest.length > 0 ? rest : values.rules ?? [], { lang });
    case 'classify':
      const workers = values.workers === undefined ? 1 : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
        line(io.stderr, `--workers takes a whole number from 1 to 64, not "${values.workers}"`);
        return EXIT.usage;
      }
      return classify(io, rest[0], {
        workers,
        standard: values.standard,
        pack: values.pack,
        site: values.site,
        pretty: values.pretty,
        rules: values.rules,
        today: values.today,
      });
    case 'schema':
      line(io.stdout, JSON.stringify(packJsonSchema(), null, 2));
      return EXIT.ok;
    default:
      line(io.stderr, `unknown command "${command}"\n\n${HELP}`);
      return EXIT.usage;
  }
}
