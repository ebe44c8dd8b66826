/**
 * Where the recorded drives and camera images live: ../shared/data next to the repository (their licences are
 * in its LICENSES folder; nothing is copied into this repo). SHARED_DATA_DIR overrides it; /work/shared/data is
 * where the development machines keep it when the checkout sits elsewhere (CI clones into another folder).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function sharedDataDir(): string {
  const candidates = [process.env.SHARED_DATA_DIR, resolve(repoRoot, '../shared/data'), '/work/shared/data'].filter((d): d is string => !!d);
  const found = candidates.find((dir) => existsSync(resolve(dir, 'gps')));
  if (!found) throw new Error(`recorded drives not found; looked in ${candidates.join(', ')} (set SHARED_DATA_DIR)`);
  return found;
}
