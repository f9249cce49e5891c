/**
 * The packs that ship with the library: every `rules/<standard>/<edition>.yaml` of the package.
 */
import { createHash } from 'node:crypto';
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

interface CacheEntry {
  file: string;
  /** sha256 of the YAML text the entry was validated from. */
  sha256: string;
  /** The pack's content hash (`hashPack`), computed at build time. */
  hash: string;
  /**
   * The validated pack as JSON text: parsed on each use, so that every engine gets its own
   * objects and no parsed copy of every pack stays in memory beside the compiled ones.
   */
  json: string;
}

let cache: Map<string, CacheEntry> | undefined;

/**
 * The bundled pack at `file`, as validated at build time — if its text is still the text that
 * was validated (same sha256). Undefined otherwise: the caller reads and validates the YAML.
 */
export function cachedBundledPack(file: string, text: string): { data: unknown; hash: string } | undefined {
  if (!cache) {
    cache = new Map();
    const root = packageRoot();
    const path = join(root, 'dist', 'packs.json');
    if (existsSync(path)) {
      const { format, packs } = JSON.parse(readFileSync(path, 'utf8')) as { format: number; packs: CacheEntry[] };
      // Another build's format: ignore it (the packs are read from their YAML).
      if (format === 2) for (const entry of packs) cache.set(join(root, entry.file), entry);
    }
  }
  const entry = cache.get(file);
  if (!entry) return undefined;
  return createHash('sha256').update(text).digest('hex') === entry.sha256 ? { data: JSON.parse(entry.json) as unknown, hash: entry.hash } : undefined;
}

/** Folders of rules/ that hold other data than packs: grading schemes, the shared vocabulary. */
const NOT_PACKS = new Set(['grading', 'vocabulary']);

/** Paths of the bundled packs, sorted: rules/<standard>/<edition>.yaml. */
export function bundledPackFiles(): string[] {
  const rules = join(packageRoot(), 'rules');
  if (!existsSync(rules)) return [];
  return readdirSync(rules, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_PACKS.has(d.name))
    .flatMap((d) =>
      readdirSync(join(rules, d.name))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join(rules, d.name, f)),
    )
    .sort();
}
