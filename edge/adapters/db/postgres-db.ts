/**
 * Self-hosted Db adapter: Postgres over TCP with node-postgres (Node and Deno), through Kysely's PostgresDialect.
 * Type parsers give the same value shapes as the PGlite adapter (see ports/db.ts).
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Db } from '../../ports/db.ts';
import type { Database } from '../../db/schema.ts';

export interface PostgresDbOptions {
  connectionString: string;
  maxConnections?: number;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const BYTEA = 17;

function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8) return (value) => Number(value);
  if (oid === NUMERIC || oid === DATE) return (value) => value;
  if (oid === BYTEA) return (value) => new Uint8Array(pg.types.getTypeParser(BYTEA)(value) as Uint8Array);
  return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
}

export function createPostgresDb(options: PostgresDbOptions): Db & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: { getTypeParser: getTypeParser as never },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    adapter: 'postgres',
    embedded: false,
    kysely,
    pool,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
    },
  };
}
