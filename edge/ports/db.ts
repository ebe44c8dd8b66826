/**
 * Db port: a Kysely instance over the schema in edge/db/schema.ts.
 *
 * Contract (checked by adapters/db/db.contract.ts over every adapter):
 * - int8 and count(*) come back as JS numbers; numeric as strings (exact); timestamptz as Date;
 *   date as 'YYYY-MM-DD' strings; jsonb as parsed values; bytea as Uint8Array.
 * - Transactions are real: a throw inside `kysely.transaction()` rolls back everything in it.
 *   Inside a transaction, use only the transaction handle (PGlite deadlocks otherwise).
 * - `close()` releases connections; the instance is unusable afterwards.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HealthCheckable } from './health.ts';

export interface Db extends HealthCheckable {
  readonly kysely: Kysely<Database>;
  /** True when the database is embedded (PGlite): only then may demo data be seeded. */
  readonly embedded: boolean;
  close(): Promise<void>;
}
