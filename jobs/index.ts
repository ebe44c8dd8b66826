/** Every background job by name, and the cron schedules that start them. */
import type { Platform } from '../edge/platform.ts';
import type { JobHandlers, ScheduleSpec } from '../edge/ports/queue.ts';
import type { Job } from './job.ts';
import { countJobRun } from '../edge/observability/app-metrics.ts';
import { analyseFrame } from './analyse-frame.ts';
import { applyPendingTelemetry } from './apply-pending-telemetry.ts';
import { checkLicenceExpiry } from './check-licence-expiry.ts';
import { checkKeyExpiry } from './check-key-expiry.ts';
import { coachingDue } from './coaching-due.ts';
import { confirmAccidentJob } from './confirm-accident.ts';
import { deliverWebhook } from './deliver-webhook.ts';
import { deliverNotification } from './deliver-notification.ts';
import { escalateAlerts } from './escalate-alerts.ts';
import { notifyAlertJob } from './notify-alert.ts';
import { notificationDigest } from './notification-digest.ts';
import { purgeExpiredRecords } from './purge-expired-records.ts';
import { purgeFinishedJobs } from './purge-finished-jobs.ts';
import { purgeOldConversations } from './purge-old-conversations.ts';
import { markOfflineVehicles } from './mark-offline-vehicles.ts';
import { recomputeTelemetry } from './recompute-telemetry.ts';
import { refreshTripDaysJob } from './refresh-trip-days.ts';
import { requeuePendingFrames } from './requeue-pending-frames.ts';
import { startFleetDays } from './start-fleet-days.ts';
import { dailyReport } from './daily-report.ts';
import { generateReport } from './generate-report.ts';
import { retentionJob } from './retention/retention-job.ts';
import { retentionTask } from './retention/retention-kinds.ts';
import { RETENTION_KINDS } from '../edge/domain/retention/retention-settings.ts';

export const jobs: Record<string, Job> = {
  'purge-finished-jobs': purgeFinishedJobs,
  'deliver-webhook': deliverWebhook,
  'notify-alert': notifyAlertJob,
  'deliver-notification': deliverNotification,
  'escalate-alerts': escalateAlerts,
  'notification-digest': notificationDigest,
  'analyse-frame': analyseFrame,
  'confirm-accident': confirmAccidentJob,
  'recompute-telemetry': recomputeTelemetry,
  'apply-pending-telemetry': applyPendingTelemetry,
  'refresh-trip-days': refreshTripDaysJob,
  'mark-offline-vehicles': markOfflineVehicles,
  'requeue-pending-frames': requeuePendingFrames,
  'start-fleet-days': startFleetDays,
  'daily-report': dailyReport,
  'generate-report': generateReport,
  ...Object.fromEntries(RETENTION_KINDS.map((kind) => [retentionTask(kind), retentionJob(kind)])),
  'check-licence-expiry': checkLicenceExpiry,
  'check-key-expiry': checkKeyExpiry,
  'purge-expired-records': purgeExpiredRecords,
  'purge-old-conversations': purgeOldConversations,
  'coaching-due': coachingDue,
};

export const schedules: ScheduleSpec[] = [
  // Every minute locally; on Workers the cron trigger (wrangler.toml) sets the real granularity.
  { name: 'mark-offline-vehicles', cron: '* * * * *', timezone: 'UTC', job: 'mark-offline-vehicles' },
  // Fix batches whose telemetry a crash left unapplied (also run once at start: edge/start-services.ts).
  { name: 'apply-pending-telemetry', cron: '* * * * *', timezone: 'UTC', job: 'apply-pending-telemetry' },
  // CRITICAL alerts nobody acknowledged go up the fleet's escalation list (edge/domain/notifications/escalate.ts).
  { name: 'escalate-alerts', cron: '* * * * *', timezone: 'UTC', job: 'escalate-alerts' },
  // The score rollup's taxi-days that trip writes marked stale (migration 2132), recounted for every fleet.
  { name: 'refresh-trip-days', cron: '* * * * *', timezone: 'UTC', job: 'refresh-trip-days' },
  { name: 'requeue-pending-frames', cron: '*/5 * * * *', timezone: 'UTC', job: 'requeue-pending-frames' },
  // 02:00 UTC, with the seed's other nightly cleanup.
  {
    name: 'purge-finished-jobs',
    cron: '0 2 * * *',
    timezone: 'UTC',
    job: 'purge-finished-jobs',
    payload: { olderThanDays: 7 },
  },
  { name: 'purge-expired-records', cron: '30 2 * * *', timezone: 'UTC', job: 'purge-expired-records' },
  // Each fleet's 06:00 daily report and 02:00 retention jobs, in its own timezone (jobs/start-fleet-days.ts).
  { name: 'start-fleet-days', cron: '*/15 * * * *', timezone: 'UTC', job: 'start-fleet-days' },
  { name: 'purge-old-conversations', cron: '45 2 * * *', timezone: 'UTC', job: 'purge-old-conversations' },
  // Hourly: each fleet hears about licences from 08:00 of its own timezone (jobs/check-licence-expiry.ts).
  { name: 'check-licence-expiry', cron: '5 * * * *', timezone: 'UTC', job: 'check-licence-expiry' },
  // Hourly too: device and API key reminders at 30, 7 and 1 days, from 08:00 fleet time (jobs/check-key-expiry.ts).
  { name: 'check-key-expiry', cron: '10 * * * *', timezone: 'UTC', job: 'check-key-expiry' },
  // Daily: drivers newly in a fleet's weekly coaching queue, announced once per driver and week (jobs/coaching-due.ts).
  { name: 'coaching-due', cron: '20 7 * * *', timezone: 'UTC', job: 'coaching-due' },
];

/** Binds every job to a platform, in the shape the Queue port consumes. */
export function jobHandlers(platform: Platform): JobHandlers {
  return Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [
      name,
      (payload: unknown, context) => countJobRun(platform, name, () => job(platform, payload, context)),
    ]),
  );
}
