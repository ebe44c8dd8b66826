/** Stand-in Db for a runtime where no database is configured (Workers without DATABASE_URL): health says so. */
import { Kysely, PostgresDialect } from 'kysely';
import type { Db } from '../../ports/db.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';

export function createUnconfiguredDb(hint: string): Db {
  const fail = () => {
    throw new AppError('not_configured', `database is not configured: ${hint}`);
  };
  // Any query fails with the same clear error instead of a connection attempt.
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => fail(), end: async () => {} } as never }),
  });
  return {
    adapter: 'none',
    embedded: false,
    kysely,
    urgent: kysely,
    async ping() {
      fail();
    },
    async close() {},
  };
}
