/**
 * The database a bench run measures: a fresh PGlite data directory (the same layout the Node runtime opens
 * under DATA_DIR) or a fresh database on the local Postgres. The bench process opens it directly for the raw
 * INSERT measurement and provisioning, closes it (PGlite allows one process per data directory), and hands the
 * server child the environment that points at it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDb } from '../../edge/adapters/db/pglite-db.ts';
import { createPostgresDb } from '../../edge/adapters/db/postgres-db.ts';
import { createThrowawayDatabase, postgresAnswers } from '../support/test-databases.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import type { Db } from '../../edge/ports/db.ts';

export type DbKind = 'pglite' | 'postgres';

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  kind: DbKind;
  /** Environment for the server child (DATA_DIR is always set: blobs live there). */
  serverEnv: Record<string, string>;
  /** Opens the database in this process (PGlite: only while no server child holds it). */
  open(): Promise<Db>;
  /** Removes the data directory / drops the database. */
  destroy(): Promise<void>;
}

export const postgresReachable = (url = BENCH_POSTGRES_URL) => postgresAnswers(url);

export async function createBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `taxiwatch-bench-${kind}-`));
  if (kind === 'pglite') {
    const open = async () => createPgliteDb({ dataDir: join(dataDir, 'pglite') });
    const db = await open();
    await migrateToLatest(db.kysely);
    await db.close();
    return { kind, serverEnv: { DATA_DIR: dataDir }, open, destroy: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const database = await createThrowawayDatabase(BENCH_POSTGRES_URL, 'taxiwatch_bench');
  const open = async () => createPostgresDb({ connectionString: database.url });
  const db = await open();
  await migrateToLatest(db.kysely);
  await db.close();
  return {
    kind,
    serverEnv: { DATA_DIR: dataDir, DATABASE_URL: database.url },
    open,
    async destroy() {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
