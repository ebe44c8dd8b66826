/**
 * The durable half of "answer first, apply telemetry after": every stored fix batch leaves a `pending_telemetry`
 * row, written in the transaction that stores its fixes and deleted in the transaction that applies its trips and
 * incidents (apply-telemetry.ts). So a batch is applied exactly once in effect whatever dies in between:
 * - the vehicle's next batch takes every older row still there (its batch was lost) and recomputes from it;
 * - the sweep (jobs/apply-pending-telemetry.ts, every minute and once at start) takes rows older than a grace period,
 *   which covers a vehicle that sends nothing more;
 * - whoever comes second finds the row gone and does nothing, so a batch applied by a sweep is not applied again
 *   when its own after-answer work finally runs.
 */
import { sql } from 'kysely';
import type { Tx } from './telemetry-store.ts';

/** Which rows an application takes: its own batch and every older one of the vehicle, or all stored before a time. */
export type PendingScope = { batch: string } | { storedBefore: Date };

export interface TakenPending {
  seqs: string[];
  /** The earliest device time among the taken batches; null when nothing was taken. */
  from: number | null;
  /** For `batch`: whether the batch's own row was still there (false: another application already did its work). */
  ownFound: boolean;
}

/**
 * The marks of batches, as the body of a data-modifying CTE over `stored` (the fix insert's RETURNING rows) in the
 * statement that stores the fixes: one per vehicle that had at least one new fix, existing exactly when its fixes do.
 */
export function markPending(now: Date) {
  return sql`INSERT INTO pending_telemetry (vehicle_id, fleet_id, from_at, stored_at)
    SELECT stored.vehicle_id, stored.fleet_id, min(stored.device_time), ${now}::timestamptz FROM stored GROUP BY stored.vehicle_id, stored.fleet_id
    RETURNING seq, vehicle_id`;
}

/**
 * Deleted and returned in one statement, with the vehicle's telemetry row locked and before any fix is read: a row
 * seen here was committed with its fixes, so the fixes are visible to the reads that follow; rows a concurrent
 * ingest commits meanwhile are not touched. Should the application fail, its transaction puts the rows back.
 */
export async function takePending(tx: Tx, vehicleId: string, scope: PendingScope): Promise<TakenPending> {
  let query = tx.deleteFrom('pending_telemetry').where('vehicle_id', '=', vehicleId);
  query = 'batch' in scope ? query.where('seq', '<=', scope.batch) : query.where('stored_at', '<', scope.storedBefore);
  const rows = await query.returning(['seq', 'from_at']).execute();
  const seqs = rows.map((r) => String(r.seq));
  return {
    seqs,
    from: rows.length === 0 ? null : Math.min(...rows.map((r) => r.from_at.getTime())),
    ownFound: 'batch' in scope && seqs.includes(scope.batch),
  };
}
