import { defineConfig } from 'tsup';

// The bench is built on demand (`npm run bench`), apart from the library.
export default defineConfig({
  entry: { index: 'bench/index.ts' },
  outDir: 'bench/dist',
  format: ['esm'],
  target: 'node20',
  shims: true,
  clean: true,
  external: ['tinybench', 'json-logic-engine', 'json-rules-engine', 'fast-check', 'zod', 'yaml', 'ajv'],
});
