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
import { requiredInCi } from './required-in-ci.ts';

export async function createTestPglite(): Promise<Db & { pglite: import('@electric-sql/pglite').PGlite }> {
  const bytes = await readFile(inject('pgliteTemplatePath'));
  return createPgliteDb({ loadDataDir: new Blob([bytes]) });
}

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;

/** Whether a Postgres answers at `url` within two seconds. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether the test Postgres answers; suites use it with describe.skipIf and say why when it does not.
 * In CI (CI=true) it rejects instead, so the suites that need Postgres fail rather than skip.
 */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= postgresAnswers(TEST_POSTGRES_URL).then((up) =>
    requiredInCi(up, `Postgres at ${TEST_POSTGRES_URL}`, 'start it, or set TEST_POSTGRES_URL'),
  );
  return reachable;
}

/** A new, empty database on the Postgres at `serverUrl`, named with `prefix`; `drop()` removes it (connections or not). */
export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** A fresh, migrated Postgres database; `drop()` closes the pool and removes it. */
export async function createTestPostgres(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const database = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_test');
  const db = createPostgresDb({ connectionString: database.url });
  await migrateToLatest(db.kysely);
  return {
    db,
    url: database.url,
    async drop() {
      await db.close();
      await database.drop();
    },
  };
}
