/**
 * Producing a report, safely repeatable: render, store the file (same key every time), mark the report ready for
 * the generation asked for, then announce `report_ready` on the live feed and to webhooks. A run cut short anywhere
 * is simply run again: the file is overwritten with the same bytes, "ready" is set once, and a report that became
 * ready without its announcement is announced by the next run (announced < generation), so it is never lost
 * (a crash between announcing and recording it can announce twice: receivers key on report_id).
 */
import type { Platform } from '../../platform.ts';
import { retentionInForce } from '../retention/retention-settings.ts';
import { dispatchWebhookEvent } from '../webhooks/dispatch.ts';
import { renderReport, type ReportRow } from './render-report.ts';

export const REPORT_URL_TTL_SECONDS = 3600;
/** The link in report_ready lasts a day: long enough for an email or a webhook receiver to fetch the file. */
export const ANNOUNCED_URL_TTL_SECONDS = 86_400;
export const REPORT_JOB_ATTEMPTS = 3;

export const reportBlobKey = (report: Pick<ReportRow, 'fleet_id' | 'id'>, fileName: string) => `reports/${report.fleet_id}/${report.id}/${fileName}`;

export interface ProduceOutcome {
  status: 'ready' | 'failed' | 'skipped';
}

/** `attempt` is the queue's try number: the last try records the failure on the report instead of throwing. */
export async function produceReport(platform: Platform, reportId: string, generation: number, attempt = 1): Promise<ProduceOutcome> {
  const db = platform.db.kysely;
  const report = await db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  // Deleted by retention, or regenerated since this job was sent: nothing to do.
  if (!report || report.generation !== generation) return { status: 'skipped' };
  if (report.status !== 'ready') {
    try {
      const rendered = await renderReport(db, report, platform.clock.now());
      const key = reportBlobKey(report, rendered.fileName);
      await platform.blobs.put(key, rendered.bytes, { contentType: rendered.contentType });
      const now = new Date(platform.clock.now());
      await db
        .updateTable('reports')
        .set({ status: 'ready', blob_key: key, size_bytes: rendered.bytes.length, pages: rendered.pages, error: null, ready_at: now, updated_at: now })
        .where('id', '=', report.id)
        .where('generation', '=', generation)
        .execute();
    } catch (error) {
      if (attempt < REPORT_JOB_ATTEMPTS) throw error;
      const message = error instanceof Error ? error.message : String(error);
      await db.updateTable('reports').set({ status: 'failed', error: message.slice(0, 500), updated_at: new Date(platform.clock.now()) }).where('id', '=', report.id).where('generation', '=', generation).execute();
      platform.log.error('report failed', { reportId, error: message });
      return { status: 'failed' };
    }
  }
  const ready = await db.selectFrom('reports').selectAll().where('id', '=', reportId).where('generation', '=', generation).where('status', '=', 'ready').executeTakeFirst();
  if (ready && ready.announced < generation) {
    const fleet = await db.selectFrom('fleets').select('retention').where('id', '=', ready.fleet_id).executeTakeFirstOrThrow();
    const data = await reportJson(platform, ready, { ttlSeconds: ANNOUNCED_URL_TTL_SECONDS, keepDays: retentionInForce(fleet, platform.config).reports });
    await platform.bus.publish(ready.fleet_id, 'report_ready', data);
    await dispatchWebhookEvent(platform, ready.fleet_id, 'report_ready', data);
    await db.updateTable('reports').set({ announced: generation }).where('id', '=', ready.id).where('announced', '<', generation).execute();
  }
  return { status: ready ? 'ready' : 'skipped' };
}

/** A report as the API shows it: a signed download link once ready, and when retention will delete it. */
export async function reportJson(platform: Platform, report: ReportRow, options: { keepDays: number; ttlSeconds?: number }) {
  const { keepDays, ttlSeconds = REPORT_URL_TTL_SECONDS } = options;
  const downloadUrl = report.status === 'ready' && report.blob_key ? await platform.blobs.signedUrl(report.blob_key, { expiresInSeconds: ttlSeconds }) : null;
  return {
    id: report.id,
    fleet_id: report.fleet_id,
    kind: report.kind,
    format: report.format,
    status: report.status,
    from: report.from_day,
    to: report.to_day,
    vehicle_id: report.vehicle_id,
    driver_id: report.driver_id,
    language: report.language,
    pages: report.pages,
    size_bytes: report.size_bytes,
    error: report.error,
    created_at: report.created_at.toISOString(),
    ready_at: report.ready_at?.toISOString() ?? null,
    // Deleted by the retention run after this (null: the fleet keeps reports for ever).
    expires_at: keepDays === 0 ? null : new Date(report.created_at.getTime() + keepDays * 86_400_000).toISOString(),
    file_name: report.blob_key ? report.blob_key.slice(report.blob_key.lastIndexOf('/') + 1) : null,
    download_url: downloadUrl,
    download_url_expires_at: downloadUrl ? new Date(platform.clock.now() + ttlSeconds * 1000).toISOString() : null,
  };
}
