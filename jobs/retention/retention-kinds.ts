/**
 * What each retention kind deletes, one batch at a time, for one fleet and a cutoff: frames (but not an incident's
 * evidence: linked frames and those within an evidence pack's window), GPS fixes (but not the track around an
 * incident), reports and evidence packs. Each batch returns the blob keys of the rows it deleted, for the caller to
 * delete after the transaction (a crash leaves an unreferenced blob, never a row without its blob).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../edge/db/schema.ts';
import { EVIDENCE_PACK_WINDOW } from '../../edge/domain/evidence/pack-window.ts';
import type { RetentionKind } from '../../edge/domain/retention/retention-settings.ts';

export interface RetentionKindSpec {
  kind: RetentionKind;
  /** Deletes up to `limit` rows older than `cutoff`; returns how many, and the blobs they referenced. */
  deleteBatch(tx: Transaction<Database> | Kysely<Database>, fleetId: string, cutoff: Date, limit: number): Promise<{ rows: number; blobKeys: string[] }>;
}

const secs = (n: number) => sql.lit(n);

const frames: RetentionKindSpec = {
  kind: 'frames',
  async deleteBatch(tx, fleetId, cutoff, limit) {
    const { frameSecondsBefore: before, frameSecondsAfter: after } = EVIDENCE_PACK_WINDOW;
    const batch = await tx
      .selectFrom('frames as f')
      .select('f.id')
      .where('f.fleet_id', '=', fleetId)
      .where('f.captured_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('incident_frames as x').select('x.frame_id').whereRef('x.frame_id', '=', 'f.id'))))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('incidents as i')
              .select('i.id')
              .whereRef('i.vehicle_id', '=', 'f.vehicle_id')
              .where(sql<boolean>`f.captured_at BETWEEN i.occurred_at - make_interval(secs => ${secs(before)}) AND greatest(i.last_seen_at, i.occurred_at) + make_interval(secs => ${secs(after)})`),
          ),
        ),
      )
      .orderBy('f.captured_at')
      .limit(limit)
      .execute();
    if (batch.length === 0) return { rows: 0, blobKeys: [] };
    const gone = await tx.deleteFrom('frames').where('id', 'in', batch.map((b) => b.id)).returning('blob_key').execute();
    return { rows: gone.length, blobKeys: gone.map((g) => g.blob_key) };
  },
};

const fixes: RetentionKindSpec = {
  kind: 'fixes',
  async deleteBatch(tx, fleetId, cutoff, limit) {
    const { trackSecondsBefore: before, trackSecondsAfter: after } = EVIDENCE_PACK_WINDOW;
    const batch = tx
      .selectFrom('gps_fixes as g')
      .select('g.id')
      .where('g.fleet_id', '=', fleetId)
      .where('g.device_time', '<', cutoff)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('incidents as i')
              .select('i.id')
              .whereRef('i.vehicle_id', '=', 'g.vehicle_id')
              .where(sql<boolean>`g.device_time BETWEEN i.occurred_at - make_interval(secs => ${secs(before)}) AND greatest(i.last_seen_at, i.occurred_at) + make_interval(secs => ${secs(after)})`),
          ),
        ),
      )
      .orderBy('g.device_time')
      .limit(limit);
    const result = await tx.deleteFrom('gps_fixes').where('id', 'in', batch).executeTakeFirst();
    return { rows: Number(result.numDeletedRows), blobKeys: [] };
  },
};

const reports: RetentionKindSpec = {
  kind: 'reports',
  async deleteBatch(tx, fleetId, cutoff, limit) {
    const batch = tx.selectFrom('reports').select('id').where('fleet_id', '=', fleetId).where('created_at', '<', cutoff).orderBy('created_at').limit(limit);
    const gone = await tx.deleteFrom('reports').where('id', 'in', batch).returning('blob_key').execute();
    return { rows: gone.length, blobKeys: gone.flatMap((g) => (g.blob_key ? [g.blob_key] : [])) };
  },
};

const evidencePacks: RetentionKindSpec = {
  kind: 'evidence_packs',
  async deleteBatch(tx, fleetId, cutoff, limit) {
    const batch = tx.selectFrom('evidence_packs').select('id').where('fleet_id', '=', fleetId).where('created_at', '<', cutoff).orderBy('created_at').limit(limit);
    const gone = await tx.deleteFrom('evidence_packs').where('id', 'in', batch).returning('blob_key').execute();
    return { rows: gone.length, blobKeys: gone.map((g) => g.blob_key) };
  },
};

export const RETENTION_SPECS: Record<RetentionKind, RetentionKindSpec> = { frames, fixes, reports, evidence_packs: evidencePacks };

/** The job (and fleet_day_runs task) name of each kind. */
export const retentionTask = (kind: RetentionKind) => `purge-${kind.replace('_', '-')}`;
