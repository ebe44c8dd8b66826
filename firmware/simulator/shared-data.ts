/**
 * Where the recorded drives and camera images live: ../shared/data next to the repository (their licences are
 * in its LICENSES folder; nothing is copied into this repo). SIM_DATA_DIR (or SHARED_DATA_DIR) overrides it, and
 * must then hold the data; /work/shared/data is where the development machines keep it when the checkout sits
 * elsewhere (CI clones into another folder).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function sharedDataDir(): string {
  const chosen = process.env.SIM_DATA_DIR || process.env.SHARED_DATA_DIR;
  if (chosen) {
    if (!existsSync(resolve(chosen, 'gps'))) throw new Error(`recorded drives not found in ${chosen} (from SIM_DATA_DIR / SHARED_DATA_DIR): it needs a gps/normalized folder`);
    return chosen;
  }
  const candidates = [resolve(repoRoot, '../shared/data'), '/work/shared/data'];
  const found = candidates.find((dir) => existsSync(resolve(dir, 'gps')));
  if (!found) throw new Error(`recorded drives not found; looked in ${candidates.join(', ')} (set SIM_DATA_DIR or pass --data-dir)`);
  return found;
}
