/** Wraps a Kysely instance as the Db port: the part every SQL adapter shares. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../ports/db.ts';

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
