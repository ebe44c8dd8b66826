/**
 * Db port: a Kysely instance over the schema in edge/db/schema.ts.
 *
 * Contract (checked by adapters/db/db.contract.ts over every adapter):
 * - int8 and count(*) come back as JS numbers; numeric as strings (exact); timestamptz as Date;
 *   date as 'YYYY-MM-DD' strings; jsonb as parsed values; bytea as Uint8Array.
 * - Transactions are real: a throw inside `kysely.transaction()` rolls back everything in it.
 *   Inside a transaction, use only the transaction handle (PGlite deadlocks otherwise).
 * - `urgent` is the same database through the same connections; where connections are pooled, a caller waiting for
 *   one there is served before every caller waiting at `kysely`. It is for the few statements a device's answer
 *   waits on at ingest rates (storing fixes and frames, their reads before the store); everything else uses `kysely`.
 * - `close()` releases connections; the instance is unusable afterwards.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HealthCheckable } from './health.ts';

export interface Db extends HealthCheckable {
  readonly kysely: Kysely<Database>;
  /** `kysely`, served first when every connection is busy (see the contract above). */
  readonly urgent: Kysely<Database>;
  /** True when the database is embedded (PGlite): only then may demo data be seeded. */
  readonly embedded: boolean;
  close(): Promise<void>;
}
