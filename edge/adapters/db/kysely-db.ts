/** Wraps a Kysely instance as the Db port: the part every SQL adapter shares. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../../ports/db.ts';

export function kyselyDb(kysely: Kysely<Database>, adapter: string, options: { embedded?: boolean; afterClose?: () => Promise<void> } = {}): Db {
  return {
    adapter,
    embedded: options.embedded ?? false,
    kysely,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
      await options.afterClose?.();
    },
  };
}
