/**
 * Deletes camera frames older than FRAME_RETENTION_DAYS (0: keep them all). A driver-facing camera records people,
 * and its JPEGs are most of what TaxiWatch stores, so nothing is kept longer than it is useful — except evidence:
 * a frame linked to an incident (incident_frames) or inside an incident's evidence window (the frames its page
 * shows, edge/domain/evidence/) stays as long as the incident does.
 *
 * Rows go first, then their blobs: a crash in between leaves an unreferenced blob, never a frame whose image is
 * gone. Batches of 500, until nothing is left or the run has used its time (a Worker's budget); the next run goes
 * on from there. Idempotent: a second run finds nothing to delete.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { DEFAULT_EVIDENCE_WINDOW } from '../edge/domain/evidence/evidence-window.ts';
import type { Job } from './job.ts';

const payloadSchema = z.object({ batchSize: z.number().int().min(1).max(5000).default(500), budgetMs: z.number().int().min(1).max(600_000).default(20_000) }).nullable();
const BLOB_DELETES_IN_FLIGHT = 16;

export const purgeOldFrames: Job = async (platform, payload) => {
  const days = platform.config.FRAME_RETENTION_DAYS;
  if (days === 0) return;
  const { batchSize, budgetMs } = payloadSchema.parse(payload ?? null) ?? { batchSize: 500, budgetMs: 20_000 };
  const db = platform.db.kysely;
  const cutoff = new Date(platform.clock.now() - days * 86_400_000);
  const before = sql.lit(DEFAULT_EVIDENCE_WINDOW.frameSecondsBefore);
  const after = sql.lit(DEFAULT_EVIDENCE_WINDOW.frameSecondsAfter);
  const started = performance.now();
  let rows = 0;
  let blobsFailed = 0;

  while (performance.now() - started < budgetMs) {
    const doomed = await db.transaction().execute(async (tx) => {
      const batch = await tx
        .selectFrom('frames as f')
        .select('f.id')
        .where('f.captured_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('incident_frames as x').select('x.frame_id').whereRef('x.frame_id', '=', 'f.id'))))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('incidents as i')
                .select('i.id')
                .whereRef('i.vehicle_id', '=', 'f.vehicle_id')
                .where(sql<boolean>`f.captured_at BETWEEN i.occurred_at - make_interval(secs => ${before}) AND greatest(i.last_seen_at, i.occurred_at) + make_interval(secs => ${after})`),
            ),
          ),
        )
        .orderBy('f.captured_at')
        .limit(batchSize)
        .execute();
      if (batch.length === 0) return [];
      return tx.deleteFrom('frames').where('id', 'in', batch.map((b) => b.id)).returning('blob_key').execute();
    });
    if (doomed.length === 0) break;
    rows += doomed.length;
    blobsFailed += await deleteBlobs(doomed.map((d) => d.blob_key), (key) => platform.blobs.delete(key));
  }
  if (rows > 0 || blobsFailed > 0) platform.log.info('purged old frames', { deleted: rows, blobDeletesFailed: blobsFailed, olderThanDays: days });
};

/** Deletes blobs a few at a time; returns how many failed (left behind, unreferenced: logged, not retried). */
async function deleteBlobs(keys: string[], remove: (key: string) => Promise<void>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < keys.length; i += BLOB_DELETES_IN_FLIGHT) {
    const results = await Promise.allSettled(keys.slice(i, i + BLOB_DELETES_IN_FLIGHT).map(remove));
    failed += results.filter((r) => r.status === 'rejected').length;
  }
  return failed;
}
