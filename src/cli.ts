#!/usr/bin/env node
/** The `hazard-rules` executable. */
import { main } from './cli/main.js';
import { processIo } from './cli/io.js';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hazard-rules: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
