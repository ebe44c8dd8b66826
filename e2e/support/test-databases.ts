/**
 * Databases for tests: a migrated in-memory PGlite (from the run's template dump), and, where a Postgres
 * server answers on TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), a fresh
 * migrated database that is dropped afterwards.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { createPgliteDb } from '../../edge/adapters/db/pglite-db.ts';
import { createPostgresDb } from '../../edge/adapters/db/postgres-db.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import type { Db } from '../../edge/ports/db.ts';

export async function createTestPglite(): Promise<Db & { pglite: import('@electric-sql/pglite').PGlite }> {
  const bytes = await readFile(inject('pgliteTemplatePath'));
  return createPgliteDb({ loadDataDir: new Blob([bytes]) });
}

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;

/** Whether the test Postgres answers; suites use it with describe.skipIf and say why when it does not. */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      console.warn(`Postgres not reachable at ${TEST_POSTGRES_URL}: Postgres suites are skipped.`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** A fresh, migrated Postgres database; `drop()` closes the pool and removes it. */
export async function createTestPostgres(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const name = `taxiwatch_test_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = createPostgresDb({ connectionString: url.toString() });
  await migrateToLatest(db.kysely);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
