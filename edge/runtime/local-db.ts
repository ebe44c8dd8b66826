/** Opens the Db that configuration selects on Node and Deno: Postgres when DATABASE_URL is set, else PGlite in DATA_DIR. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPgliteDb } from '../adapters/db/pglite-db.ts';
import { createPostgresDb } from '../adapters/db/postgres-db.ts';
import type { Config } from '../config.ts';
import type { Db } from '../ports/db.ts';

export async function openLocalDb(config: Config): Promise<Db> {
  if (config.DATABASE_URL) return createPostgresDb({ connectionString: config.DATABASE_URL });
  const dataDir = join(config.DATA_DIR, 'pglite');
  await mkdir(dataDir, { recursive: true });
  return createPgliteDb({ dataDir });
}
