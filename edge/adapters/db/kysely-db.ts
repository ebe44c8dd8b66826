/** Wraps a Kysely instance as the Db port: the part every SQL adapter shares. */
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../ports/db.ts';
import { prioritisedPool } from './prioritised-pool.ts';

/** `urgent`: a second instance over the same connections, served first (prioritised-pool.ts); default `kysely`. */
export function kyselyDb(kysely: Kysely<Database>, adapter: string, options: { embedded?: boolean; afterClose?: () => Promise<void>; urgent?: Kysely<Database> } = {}): Db {
  const urgent = options.urgent ?? kysely;
  return {
    adapter,
    embedded: options.embedded ?? false,
    kysely,
    urgent,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      if (urgent !== kysely) await urgent.destroy();
      await kysely.destroy();
      await options.afterClose?.();
    },
  };
}

/** A pooled Postgres driver's Db (node-postgres, Neon): `kysely` and `urgent` share the pool's `size` connections. */
export function pooledKyselyDb(pool: PostgresPool, size: number, adapter: string): Db {
  const doors = prioritisedPool(pool, size);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: doors.routine }) });
  const urgent = new Kysely<Database>({ dialect: new PostgresDialect({ pool: doors.urgent }) });
  return kyselyDb(kysely, adapter, { urgent });
}
