/**
 * Opens the Db that configuration selects on Node and Deno: Postgres when DATABASE_URL is set, else PGlite in
 * DATA_DIR. Each driver is imported only when chosen, so a server carries one of them in memory, not both.
 */
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../ports/db.ts';
import { createPgliteDatabase } from './create-pglite-database.ts';

export async function openLocalDb(config: Config): Promise<Db> {
  if (config.DATABASE_URL) {
    const { createPostgresDb } = await import('../adapters/db/postgres-db.ts');
    return createPostgresDb({ connectionString: config.DATABASE_URL });
  }
  const { createPgliteDb } = await import('../adapters/db/pglite-db.ts');
  const dataDir = join(config.DATA_DIR, 'pglite');
  await mkdir(dataDir, { recursive: true });
  if (!(await exists(join(dataDir, 'PG_VERSION')))) await createPgliteDatabase(dataDir);
  return createPgliteDb({ dataDir });
}

const exists = (path: string) => access(path).then(() => true, () => false);
