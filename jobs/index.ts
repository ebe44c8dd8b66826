/** Every background job by name, and the cron schedules that start them. */
import type { Platform } from '../edge/platform.ts';
import type { JobHandlers, ScheduleSpec } from '../edge/ports/queue.ts';
import type { Job } from './job.ts';
import { countJobRun } from '../edge/observability/app-metrics.ts';
import { analyseFrame } from './analyse-frame.ts';
import { checkLicenceExpiry } from './check-licence-expiry.ts';
import { deliverWebhook } from './deliver-webhook.ts';
import { purgeExpiredRecords } from './purge-expired-records.ts';
import { purgeFinishedJobs } from './purge-finished-jobs.ts';
import { purgeOldFrames } from './purge-old-frames.ts';
import { markOfflineVehicles } from './mark-offline-vehicles.ts';
import { recomputeTelemetry } from './recompute-telemetry.ts';
import { requeuePendingFrames } from './requeue-pending-frames.ts';

export const jobs: Record<string, Job> = {
  'purge-finished-jobs': purgeFinishedJobs,
  'deliver-webhook': deliverWebhook,
  'analyse-frame': analyseFrame,
  'recompute-telemetry': recomputeTelemetry,
  'mark-offline-vehicles': markOfflineVehicles,
  'requeue-pending-frames': requeuePendingFrames,
  'purge-old-frames': purgeOldFrames,
  'check-licence-expiry': checkLicenceExpiry,
  'purge-expired-records': purgeExpiredRecords,
};

export const schedules: ScheduleSpec[] = [
  // Every minute locally; on Workers the cron trigger (wrangler.toml) sets the real granularity.
  { name: 'mark-offline-vehicles', cron: '* * * * *', timezone: 'UTC', job: 'mark-offline-vehicles' },
  { name: 'requeue-pending-frames', cron: '*/5 * * * *', timezone: 'UTC', job: 'requeue-pending-frames' },
  // 02:00 UTC, with the seed's other nightly cleanup.
  { name: 'purge-finished-jobs', cron: '0 2 * * *', timezone: 'UTC', job: 'purge-finished-jobs', payload: { olderThanDays: 7 } },
  { name: 'purge-expired-records', cron: '30 2 * * *', timezone: 'UTC', job: 'purge-expired-records' },
  // Hourly, so each run's share of a big fleet's frames stays small.
  { name: 'purge-old-frames', cron: '17 * * * *', timezone: 'UTC', job: 'purge-old-frames' },
  // Hourly: each fleet hears about licences from 08:00 of its own timezone (jobs/check-licence-expiry.ts).
  { name: 'check-licence-expiry', cron: '5 * * * *', timezone: 'UTC', job: 'check-licence-expiry' },
];

/** Binds every job to a platform, in the shape the Queue port consumes. */
export function jobHandlers(platform: Platform): JobHandlers {
  return Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [name, (payload: unknown, context) => countJobRun(platform, name, () => job(platform, payload, context))]),
  );
}
