/**
 * A retention job for one kind, fleet and local day (sent by jobs/start-fleet-days.ts at 02:00 fleet time).
 * Deletes in batches, each in a transaction that also counts it on the run (fleet_day_runs.deleted), then the
 * batch's blobs. A run that uses up its time budget (a Worker's) sends itself again and goes on from where it
 * stopped; a run cut short by a crash is run again by the queue. Either way it deletes with the cutoff fixed when
 * the run was claimed, so nothing newer than that is ever taken, and a finished run does nothing.
 */
import { z } from 'zod';
import type { Platform } from '../../edge/platform.ts';
import { retentionInForce, type RetentionKind } from '../../edge/domain/retention/retention-settings.ts';
import type { Job } from '../job.ts';
import { countDeleted, finishRun, openRun, runPayload, type RunKey } from '../fleet-day-runs.ts';
import { RETENTION_SPECS, retentionTask } from './retention-kinds.ts';

const tuning = z.object({ batchSize: z.number().int().min(1).max(5000).default(500), budgetMs: z.number().int().min(1).max(600_000).default(20_000) });
const BLOB_DELETES_IN_FLIGHT = 16;

/** The cutoff for a fleet and kind at `now` (null: the fleet keeps everything of that kind). */
export async function retentionCutoff(platform: Platform, fleetId: string, kind: RetentionKind, now: number): Promise<Date | null> {
  const fleet = await platform.db.kysely.selectFrom('fleets').select('retention').where('id', '=', fleetId).executeTakeFirst();
  if (!fleet) return null;
  const days = retentionInForce(fleet, platform.config)[kind];
  return days === 0 ? null : new Date(now - days * 86_400_000);
}

export function retentionJob(kind: RetentionKind): Job {
  const spec = RETENTION_SPECS[kind];
  const task = retentionTask(kind);
  return async (platform, payload) => {
    const { fleetId, day } = runPayload(payload);
    const { batchSize, budgetMs } = tuning.parse(payload);
    const key: RunKey = { task, fleetId, day };
    const db = platform.db.kysely;
    const now = platform.clock.now();
    const fleetCutoff = await retentionCutoff(platform, fleetId, kind, now);
    const run = await openRun(db, key, new Date(now), () => fleetCutoff);
    if (run.status === 'done') return;
    const started = performance.now();
    let deleted = 0;
    let blobsFailed = 0;
    let finished = run.cutoff === null;
    // At least one batch per run, however small the budget: every run makes progress.
    while (!finished && (deleted === 0 || performance.now() - started < budgetMs)) {
      const batch = await db.transaction().execute(async (tx) => {
        const result = await spec.deleteBatch(tx, fleetId, run.cutoff!, batchSize);
        if (result.rows > 0) await countDeleted(tx, key, result.rows, new Date(platform.clock.now()));
        return result;
      });
      deleted += batch.rows;
      blobsFailed += await deleteBlobs(platform, batch.blobKeys);
      finished = batch.rows < batchSize;
    }
    if (finished) await finishRun(db, key, new Date(platform.clock.now()));
    else await platform.queue.enqueue(task, { fleetId, day, batchSize, budgetMs }, { dedupeId: `${task}:${fleetId}:${day}:after-${run.deleted + deleted}` });
    if (deleted > 0 || blobsFailed > 0) platform.log.info('retention deleted', { kind, fleetId, day, deleted, blobDeletesFailed: blobsFailed, finished });
  };
}

/** Deletes blobs a few at a time; returns how many failed (left behind, unreferenced: logged, not retried). */
async function deleteBlobs(platform: Platform, keys: string[]): Promise<number> {
  let failed = 0;
  for (let i = 0; i < keys.length; i += BLOB_DELETES_IN_FLIGHT) {
    const results = await Promise.allSettled(keys.slice(i, i + BLOB_DELETES_IN_FLIGHT).map((key) => platform.blobs.delete(key)));
    failed += results.filter((r) => r.status === 'rejected').length;
  }
  return failed;
}
