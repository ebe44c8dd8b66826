/**
 * Every 15 minutes: for each fleet, starts the once-a-day tasks whose local time has come — the daily report at
 * 06:00 (for the day before), the notification digest at 07:00 and one retention job per kind at 02:00 — each once per fleet and local day
 * (jobs/fleet-day-runs.ts). Fifteen minutes suits every timezone offset (…:30, …:45); on a day whose 02:00 a DST
 * change skips, the task starts at the first tick after it (03:00), and on a day that has two, at the first.
 */
import { localDayAndMinute, localDaysRange, shiftDay } from '../edge/domain/fleet-time.ts';
import { RETENTION_KINDS, retentionInForce } from '../edge/domain/retention/retention-settings.ts';
import type { Platform } from '../edge/platform.ts';
import type { Job } from './job.ts';
import { claimAndEnqueue, MAX_ENQUEUES, STALE_RUN_MS, type RunKey } from './fleet-day-runs.ts';
import { retentionTask } from './retention/retention-kinds.ts';
import { DIGEST_MINUTE } from '../edge/domain/notifications/digest.ts';

export const DAILY_REPORT_MINUTE = 6 * 60;
export const RETENTION_MINUTE = 2 * 60;

interface Fleet {
  id: string;
  timezone: string;
  retention: unknown;
  created_at: Date;
}

export const startFleetDays: Job = async (platform) => {
  const fleets = await platform.db.kysely.selectFrom('fleets').select(['id', 'timezone', 'retention', 'created_at']).orderBy('id').execute();
  const failed: string[] = [];
  for (const fleet of fleets) {
    try {
      await startFleet(platform, fleet);
    } catch (error) {
      failed.push(fleet.id);
      platform.log.error('starting a fleet\'s daily tasks failed', { fleetId: fleet.id, error: String(error) });
    }
  }
  // The others went ahead; failing makes the queue try the failed fleets again (claims are never made twice).
  if (failed.length > 0) throw new Error(`daily tasks could not be started for ${failed.length} fleet(s): ${failed.join(', ')}`);
};

async function startFleet(platform: Platform, fleet: Fleet): Promise<void> {
  const now = platform.clock.now();
  const { day, minute } = localDayAndMinute(fleet.timezone, now);
  const due: Array<{ key: RunKey; cutoff: Date | null }> = [];
  const reportDay = shiftDay(day, -1);
  // A fleet created today has no yesterday to report on.
  if (minute >= DAILY_REPORT_MINUTE && localDaysRange(reportDay, reportDay, fleet.timezone).end.getTime() > fleet.created_at.getTime()) {
    due.push({ key: { task: 'daily-report', fleetId: fleet.id, day: reportDay }, cutoff: null });
  }
  if (minute >= RETENTION_MINUTE) {
    const days = retentionInForce(fleet, platform.config);
    for (const kind of RETENTION_KINDS) {
      due.push({ key: { task: retentionTask(kind), fleetId: fleet.id, day }, cutoff: days[kind] === 0 ? null : new Date(now - days[kind] * 86_400_000) });
    }
  }
  // The morning email digest of alerts held overnight or collected for it (domain/notifications/digest.ts).
  if (minute >= DIGEST_MINUTE) due.push({ key: { task: 'notification-digest', fleetId: fleet.id, day }, cutoff: null });
  if (due.length === 0) return;
  // One read tells which are settled (done, or pending and still fresh): most ticks of the day send nothing.
  const known = await platform.db.kysely
    .selectFrom('fleet_day_runs')
    .select(['task', 'day', 'status', 'updated_at', 'enqueued'])
    .where('fleet_id', '=', fleet.id)
    .where('day', 'in', [day, reportDay])
    .execute();
  const settled = new Set(known.filter((r) => r.status === 'done' || r.enqueued >= MAX_ENQUEUES || now - r.updated_at.getTime() < STALE_RUN_MS).map((r) => `${r.task}/${r.day}`));
  for (const { key, cutoff } of due) if (!settled.has(`${key.task}/${key.day}`)) await claimAndEnqueue(platform, key, cutoff);
}
