/**
 * Self-hosted Db adapter: Postgres over TCP with node-postgres (Node and Deno), through Kysely's PostgresDialect.
 * Type parsers give the same value shapes as the PGlite adapter (see ports/db.ts). `urgent` and `kysely` share the
 * pool through prioritised-pool.ts.
 */
import pg from 'pg';
import type { Db } from '../../ports/db.ts';
import { pooledKyselyDb } from './kysely-db.ts';
import { portTypeParsers } from './pg-type-parsers.ts';

export interface PostgresDbOptions {
  connectionString: string;
  maxConnections?: number;
}

export function createPostgresDb(options: PostgresDbOptions): Db & { pool: pg.Pool } {
  const max = options.maxConnections ?? 10;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max,
    types: portTypeParsers(pg.types.getTypeParser as never) as never,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return { ...pooledKyselyDb(pool, max, 'postgres'), pool };
}
