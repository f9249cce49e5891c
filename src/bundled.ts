/**
 * The packs that ship with the library: every `rules/<standard>/<edition>.yaml` of the package.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder, found from this module's place (src/ in development, dist/ when built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'hazard-rules') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('hazard-rules: cannot find the package root from ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Paths of the bundled packs, sorted: rules/<standard>/<edition>.yaml. */
export function bundledPackFiles(): string[] {
  const rules = join(packageRoot(), 'rules');
  if (!existsSync(rules)) return [];
  return readdirSync(rules, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'grading')
    .flatMap((d) =>
      readdirSync(join(rules, d.name))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join(rules, d.name, f)),
    )
    .sort();
}
