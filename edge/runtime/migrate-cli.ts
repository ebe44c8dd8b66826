/** `npm run migrate`: applies migrations/ to DATABASE_URL, or to the embedded database in DATA_DIR. */
import { ConfigError, loadConfig } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openLocalDb } from './local-db.ts';

try {
  const config = loadConfig(process.env);
  const db = await openLocalDb(config);
  try {
    const { applied } = await migrateToLatest(db.kysely);
    console.log(JSON.stringify({ adapter: db.adapter, applied }));
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
