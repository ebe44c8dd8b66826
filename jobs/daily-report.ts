/**
 * The daily report of one fleet for one local day (sent by jobs/start-fleet-days.ts at 06:00 fleet time): one
 * report row per fleet and day (a unique index), produced and announced once, then its link emailed to the fleet's
 * owners (edge/domain/reports/report-email.ts) where the platform has a mail service; a run cut short resumes
 * (edge/domain/reports/produce-report.ts), and a finished run does nothing.
 */
import { produceReport } from '../edge/domain/reports/produce-report.ts';
import { emailReportLink } from '../edge/domain/reports/report-email.ts';
import type { Job } from './job.ts';
import { finishRun, openRun, runPayload } from './fleet-day-runs.ts';

export const dailyReport: Job = async (platform, payload, context) => {
  const { fleetId, day } = runPayload(payload);
  const db = platform.db.kysely;
  const key = { task: 'daily-report', fleetId, day };
  const run = await openRun(db, key, new Date(platform.clock.now()), () => null);
  if (run.status === 'done') return;
  const fleet = await db.selectFrom('fleets').select('locale').where('id', '=', fleetId).executeTakeFirstOrThrow();
  const now = new Date(platform.clock.now());
  await db
    .insertInto('reports')
    .values({ id: platform.ids.next(), fleet_id: fleetId, kind: 'daily', format: 'pdf', status: 'queued', from_day: day, to_day: day, vehicle_id: null, driver_id: null, language: fleet.locale, requested_by: null, blob_key: null, size_bytes: null, pages: null, error: null, created_at: now, updated_at: now, ready_at: null })
    .onConflict((oc) => oc.columns(['fleet_id', 'from_day']).where('kind', '=', 'daily').doNothing())
    .execute();
  const report = await db.selectFrom('reports').select(['id', 'generation']).where('fleet_id', '=', fleetId).where('kind', '=', 'daily').where('from_day', '=', day).executeTakeFirstOrThrow();
  const produced = await produceReport(platform, report.id, report.generation, context.attempt);
  if (produced.status === 'ready') {
    const emailed = await emailReportLink(platform, report.id);
    // A mail service down for now: the next try sends to the owners still pending; after the last, the day is done.
    if (emailed.retryable > 0 && context.attempt < REPORT_EMAIL_ATTEMPTS) {
      throw new Error(`the daily report's email to ${emailed.retryable} owner(s) failed for now; trying again`);
    }
  }
  await finishRun(db, key, new Date(platform.clock.now()));
};

/** Tries of the daily-report job that may end in an error for want of the mail service (the queue retries with backoff). */
export const REPORT_EMAIL_ATTEMPTS = 3;
