/**
 * The command line: `hazard-rules <command> …`. Parses arguments and hands over to one file per
 * command. Returns the exit code instead of exiting, so tests run it in-process.
 */
import { parseArgs } from 'node:util';
import { packJsonSchema } from '../pack/schema.js';
import { isCalendarDate } from '../pack/types.js';
import { classify } from './classify.js';
import { grade } from './grade.js';
import { schemeJsonSchema } from '../grade/scheme.js';
import { EXIT, line, type Io } from './io.js';
import { list } from './list.js';
import { test } from './test.js';
import { validate } from './validate.js';

const HELP = `hazard-rules — major-accident-hazard determination (重大事故隐患判定)

usage:
  hazard-rules list [--json] [--rules …]           packs, their editions and rules
  hazard-rules validate [packs…] [--lang zh|en|both]
                                                   check packs: every problem as file:line:col code message
  hazard-rules test [packs…] [--lang zh|en|both]   run every rule's examples; ends "N passed, N failed"
  hazard-rules classify [--standard id] [--pack id] [--workers N] [--today YYYY-MM-DD] [--pretty] [--rules …]
                        <findings.ndjson | ->      one verdict per line (NDJSON), in input order
  hazard-rules classify --site <site.json> [--pretty] [--rules …]
                                                   site-level determination (GB 35181)
  hazard-rules grade <enterprise.json | registry.ndjson | -> [--scheme id|file] [--as-of YYYY-MM-DD] [--pretty]
                                                   A–D supervision grade(s), with every reason
  hazard-rules schema [--grading]                  the rule-pack (or grading-scheme) JSON Schema

packs (validate, test): a file, a folder of *.yaml, a bundled pack id (fireworks-2017) or a
standard id (fireworks: every bundled edition); none given: every bundled pack.

options:
  --rules <file|dir>   use these packs instead of the bundled ones (repeatable)
  --standard <id>      the standard of findings that name none
  --pack <id>          judge every finding by this edition (its period must cover the date)
  --workers N          judge on N threads (1–64; output still in input order)
  --pretty             human-readable verdicts instead of NDJSON
  --today YYYY-MM-DD   the date for findings without observed_at (default: today, Asia/Shanghai)
  --lang zh|en|both    language of diagnostics (default both)
  --scheme id|file     grading scheme: default, non-coal-mine-2023, chemical-park-2023, or a file
  --as-of YYYY-MM-DD   grade as of this day (default today, Asia/Shanghai)
  -h, --help           this text

a finding (one JSON object per line; a UTF-8 BOM is allowed, invalid UTF-8 is reported per line):
  { "id": "YH-1", "standard": "fireworks", "observed_at": "2026-03-02",
    "facts": { "actual_persons_present": 8, "approved_max_persons": 6 },
    "context": { … }, "meta": { … } }
  facts: what was observed; context: what the enterprise or site is; observed_at chooses the
  edition in force that day; meta is echoed back. Fact names: hazard-rules list --json.
  A line longer than 16 MiB is reported, not judged.

a site (--site): { "standard": "fire-safety", "observed_at": "…", "site": { context facts },
  "findings": [ { "id": …, "facts": { … } }, … ] }

exit codes:
  0  done             1  a pack or its examples are wrong, or editions overlap
  2  some input lines or the site could not be judged (each reported on stderr)
  64 usage: a bad option, a missing or unreadable input     70 internal error
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
        scheme: { type: 'string' },
        'as-of': { type: 'string' },
        grading: { type: 'boolean' },
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
  if (values.today !== undefined && !isCalendarDate(values.today)) {
    line(io.stderr, `--today takes a calendar date YYYY-MM-DD, not "${values.today}"`);
    return EXIT.usage;
  }
  if (values['as-of'] !== undefined && !isCalendarDate(values['as-of'])) {
    line(io.stderr, `--as-of takes a calendar date YYYY-MM-DD, not "${values['as-of']}"`);
    return EXIT.usage;
  }
  if (values.lang !== undefined && !['zh', 'en', 'both'].includes(values.lang)) {
    line(io.stderr, `--lang takes zh, en or both, not "${values.lang}"`);
    return EXIT.usage;
  }
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
      if (values.site !== undefined && rest.length > 0) {
        line(io.stderr, `--site judges one site file; "${rest[0]}" is not used with it (give findings inside the site file)`);
        return EXIT.usage;
      }
      if (values.site === undefined && rest.length > 1) {
        line(io.stderr, `classify reads one findings file, not ${rest.length} (${rest.join(', ')})`);
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
    case 'grade':
      return grade(io, rest[0], { scheme: values.scheme, asOf: values['as-of'], pretty: values.pretty, rules: values.rules, today: values.today });
    case 'schema':
      line(io.stdout, JSON.stringify(values.grading ? schemeJsonSchema() : packJsonSchema(), null, 2));
      return EXIT.ok;
    default:
      line(io.stderr, `unknown command "${command}"\n\n${HELP}`);
      return EXIT.usage;
  }
}
