// Build step (run by tsup after each build): validates every bundled pack — structure, meaning
// and every example — and writes dist/packs.json with each pack's parsed data and the sha256 of
// its source text. Loading a bundled pack whose text still has that hash skips YAML parsing and
// validation (they were done here); any edit to the YAML changes the hash and the pack is read
// from its text again. A pack that does not validate is left out, so it is reported at load.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackFiles, hashPack, validatePack } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const packs = [];
for (const file of bundledPackFiles()) {
  const text = readFileSync(file, 'utf8');
  const { pack, diagnostics } = validatePack(file);
  if (!pack) {
    console.error(`cache-packs: ${relative(root, file)} does not validate (${diagnostics.filter((d) => d.severity === 'error').length} errors); not cached`);
    continue;
  }
  // The pack's content hash (what verdicts carry) is computed here once, not at every start.
  packs.push({ file: relative(root, file), sha256: createHash('sha256').update(text).digest('hex'), hash: hashPack(pack), json: JSON.stringify(pack) });
}
writeFileSync(join(root, 'dist', 'packs.json'), JSON.stringify({ format: 2, packs }));
