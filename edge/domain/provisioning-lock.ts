/** Serialises one-time provisioning (admin bootstrap, demo seed) across processes that share one database. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Runs `work` in a transaction that first takes a transaction-scoped advisory lock named `name`. A transaction
 * alone is not enough: under READ COMMITTED two starts would both see "nothing yet" and both insert. With the
 * lock the second waits, and its next statement sees what the first committed. Works on PGlite, Postgres and Neon.
 */
export function withProvisioningLock<T>(db: Kysely<Database>, name: string, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`taxiwatch:${name}`}))`.execute(tx);
    return work(tx);
  });
}
