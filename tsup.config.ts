import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', testing: 'src/testing.ts', 'parallel-worker': 'src/classify/parallel-worker.ts' },
    external: ['fast-check'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    shims: true,
    target: 'node20',
    // Validate the bundled packs once, at build time, and cache them (see scripts/cache-packs.mjs).
    onSuccess: 'node scripts/cache-packs.mjs',
  },
  {
    entry: { cli: 'src/cli.ts', worker: 'src/cli/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    shims: true,
    target: 'node20',
  },
]);
