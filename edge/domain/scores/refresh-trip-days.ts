/**
 * Trip and stint writes mark the taxi-days they change as stale instead of recounting the score rollup at once
 * (migration 2132): at thousands of taxis the open trips are saved several hundred times a second. Whoever reads trip_days
 * recounts its fleet's stale days first, so reads stay exact; the refresh-trip-days job does it for every fleet once
 * a minute, so that no read has a long backlog to recount.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Recounts the stale taxi-days of one fleet, or of every fleet (no id); returns how many were recounted. */
export async function refreshTripDays(db: Kysely<Database>, fleetId?: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select trip_days_refresh(${fleetId ?? null}::text) as n`.execute(db);
  return Number(rows[0].n);
}
