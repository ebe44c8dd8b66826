/**
 * Once-a-day tasks per fleet (the 06:00 daily report, the 02:00 retention jobs), each run once per fleet and local
 * day: `fleet_day_runs` holds one row per task, fleet and day, claimed by the first scheduler tick that reaches the
 * task's local time (an insert that only one tick wins, whatever the number of workers, restarts or clock changes),
 * then marked done by the job. A run still pending long after its job was sent (a lost message, a dead letter) is
 * sent again, a few times at most.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../edge/db/schema.ts';
import type { Platform } from '../edge/platform.ts';
import { AppError } from '../edge/errors.ts';

export interface RunKey {
  task: string;
  fleetId: string;
  day: string;
}

/** How long a pending run may go without progress before its job is sent again, and how many times in all. */
export const STALE_RUN_MS = 30 * 60_000;
export const MAX_ENQUEUES = 4;

const where = (key: RunKey) => (qb: any) => qb.where('task', '=', key.task).where('fleet_id', '=', key.fleetId).where('day', '=', key.day);
const dedupeId = (key: RunKey, attempt: number) => `${key.task}:${key.fleetId}:${key.day}${attempt > 1 ? `:again-${attempt}` : ''}`;

/**
 * Claims the run (new) or re-claims a stale one, and enqueues its job; returns whether a job was sent.
 * `cutoff` is fixed at the first claim: a resumed retention run deletes what the first one would have.
 */
export async function claimAndEnqueue(platform: Platform, key: RunKey, cutoff: Date | null): Promise<boolean> {
  const db = platform.db.kysely;
  const now = new Date(platform.clock.now());
  const claimed = await db
    .insertInto('fleet_day_runs')
    .values({ task: key.task, fleet_id: key.fleetId, day: key.day, status: 'pending', cutoff, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['task', 'fleet_id', 'day']).doNothing())
    .returning('enqueued')
    .executeTakeFirst();
  let attempt = claimed?.enqueued ?? null;
  if (attempt === null) {
    const stale = await where(key)(db.updateTable('fleet_day_runs'))
      .set((eb: any) => ({ enqueued: eb('enqueued', '+', 1), updated_at: now }))
      .where('status', '=', 'pending')
      .where('updated_at', '<', new Date(now.getTime() - STALE_RUN_MS))
      .where('enqueued', '<', MAX_ENQUEUES)
      .returning('enqueued')
      .executeTakeFirst();
    attempt = stale?.enqueued ?? null;
  }
  if (attempt === null) return false;
  await platform.queue.enqueue(key.task, { fleetId: key.fleetId, day: key.day }, { dedupeId: dedupeId(key, attempt) });
  return true;
}

export interface FleetDayRun {
  status: 'pending' | 'done';
  cutoff: Date | null;
  deleted: number;
}

/** The run a job was sent for; a job for a run nobody claimed (enqueued by hand) claims it with `cutoff`. */
export async function openRun(db: Kysely<Database>, key: RunKey, now: Date, cutoff: () => Date | null): Promise<FleetDayRun> {
  await db
    .insertInto('fleet_day_runs')
    .values({ task: key.task, fleet_id: key.fleetId, day: key.day, status: 'pending', cutoff: cutoff(), created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['task', 'fleet_id', 'day']).doNothing())
    .execute();
  const run = await where(key)(db.selectFrom('fleet_day_runs').select(['status', 'cutoff', 'deleted'])).executeTakeFirst();
  if (!run) throw new AppError('not_found', `fleet ${key.fleetId} does not exist`);
  return run as FleetDayRun;
}

/** Adds to the run's deleted count; called in the transaction that deleted, so the count is exact after a crash. */
export async function countDeleted(db: Kysely<Database>, key: RunKey, deleted: number, now: Date): Promise<void> {
  await where(key)(db.updateTable('fleet_day_runs')).set((eb: any) => ({ deleted: eb('deleted', '+', deleted), updated_at: now })).execute();
}

export async function finishRun(db: Kysely<Database>, key: RunKey, now: Date): Promise<void> {
  await where(key)(db.updateTable('fleet_day_runs')).set({ status: 'done', finished_at: now, updated_at: now }).where('status', '=', 'pending').execute();
}

export const runPayload = (payload: unknown): { fleetId: string; day: string } => {
  const p = payload as { fleetId?: unknown; day?: unknown } | null;
  if (!p || typeof p.fleetId !== 'string' || typeof p.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.day)) {
    throw new AppError('validation_failed', 'a fleet-day job needs {"fleetId": "…", "day": "YYYY-MM-DD"}');
  }
  return { fleetId: p.fleetId, day: p.day };
};
