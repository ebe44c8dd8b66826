/**
 * /api/v1/reports: the daily reports (made at 06:00 fleet time) and on-demand ones for any days, taxi or driver.
 * A request is answered 202 at once with the report's id; a job makes the file, then `report_ready` goes out on the
 * live feed and to webhooks. Each report carries its status and, once ready, a signed download link.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { audit } from '../domain/auth/audit.ts';
import { daysBetween, localDayAndMinute } from '../domain/fleet-time.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { REPORT_JOB_ATTEMPTS, reportJson } from '../domain/reports/produce-report.ts';
import type { ReportRow } from '../domain/reports/render-report.ts';
import { retentionInForce } from '../domain/retention/retention-settings.ts';
import { authorize, notFound, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { isCalendarDate } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson, readQuery } from './route-helpers.ts';

export const MAX_REPORT_DAYS = 366;
const day = z.string().refine(isCalendarDate, { message: 'expected a date written YYYY-MM-DD' });
const createBody = z
  .object({
    from: day,
    to: day,
    vehicle_id: z.string().min(1).max(64).optional(),
    driver_id: z.string().min(1).max(64).optional(),
    format: z.enum(['pdf', 'csv', 'xlsx']),
    language: z.enum(['es', 'en']).optional().describe("The fleet's language when absent"),
    fleet_id: z.string().optional().describe('Platform admins: the fleet to report on'),
  })
  .strict()
  .refine((b) => b.from <= b.to, { message: 'from must not be after to', path: ['to'] })
  .refine((b) => daysBetween(b.from, b.to) <= MAX_REPORT_DAYS, { message: `a report covers at most ${MAX_REPORT_DAYS} days`, path: ['to'] });
const listQuery = pageQuery.extend({ kind: z.enum(['daily', 'on_demand']).optional(), status: z.enum(['queued', 'ready', 'failed']).optional() });

export function registerReports(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/reports');

  const find = async (principal: Principal, id: string): Promise<ReportRow> => {
    const row = await scopedTo(db, principal, 'reports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('report', id);
    return row;
  };
  const keepDays = async (fleetIds: string[]) => {
    const rows = fleetIds.length === 0 ? [] : await db.selectFrom('fleets').select(['id', 'retention']).where('id', 'in', [...new Set(fleetIds)]).execute();
    return new Map(rows.map((r) => [r.id, retentionInForce(r, platform.config).reports]));
  };
  const present = async (rows: ReportRow[]) => {
    const days = await keepDays(rows.map((r) => r.fleet_id));
    return Promise.all(rows.map((r) => reportJson(platform, r, { keepDays: days.get(r.fleet_id) ?? 0 })));
  };
  const enqueue = (report: Pick<ReportRow, 'id' | 'generation'>) =>
    platform.queue.enqueue('generate-report', { reportId: report.id, generation: report.generation }, { dedupeId: `report:${report.id}:${report.generation}`, maxAttempts: REPORT_JOB_ATTEMPTS });

  app.get('/api/v1/reports', async (c) => {
    authorize(c.var.principal, 'read', 'reports');
    const q = readQuery(c, listQuery);
    let query = scopedTo(db, c.var.principal, 'reports').selectAll().orderBy('id', 'desc').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '<', after);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.status) query = query.where('status', '=', q.status);
    const rows = await query.execute();
    const { data, next_cursor } = page(rows, q.limit);
    return c.json({ data: await present(data), next_cursor });
  });

  app.get('/api/v1/reports/:id', async (c) => {
    const report = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'reports');
    return c.json((await present([report]))[0]);
  });

  // For links that must outlive a signed URL (a page left open): a fresh one on every click.
  app.get('/api/v1/reports/:id/file', async (c) => {
    const report = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'reports');
    if (report.status !== 'ready' || !report.blob_key) throw new AppError('conflict', `report ${report.id} is ${report.status}, not ready`, { details: { status: report.status } });
    return c.redirect(await platform.blobs.signedUrl(report.blob_key, { expiresInSeconds: 300 }), 302);
  });

  app.post('/api/v1/reports', async (c) => {
    authorize(c.var.principal, 'write', 'reports');
    const body = await readJson(c, createBody);
    const fleetId = targetFleet(c.var.principal, body.fleet_id);
    const fleet = await db.selectFrom('fleets').select(['id', 'timezone', 'locale']).where('id', '=', fleetId).executeTakeFirst();
    if (!fleet) throw notFound('fleet', fleetId);
    const today = localDayAndMinute(fleet.timezone, platform.clock.now()).day;
    if (body.to > today) throw new AppError('validation_failed', `to is after today (${today} in ${fleet.timezone})`, { details: [{ path: 'to', message: 'in the future' }] });
    if (body.vehicle_id && !(await db.selectFrom('vehicles').select('id').where('id', '=', body.vehicle_id).where('fleet_id', '=', fleetId).executeTakeFirst())) throw notFound('vehicle', body.vehicle_id);
    if (body.driver_id && !(await db.selectFrom('drivers').select('id').where('id', '=', body.driver_id).where('fleet_id', '=', fleetId).executeTakeFirst())) throw notFound('driver', body.driver_id);
    const wanted = { fleet_id: fleetId, kind: 'on_demand' as const, format: body.format, from_day: body.from, to_day: body.to, vehicle_id: body.vehicle_id ?? null, driver_id: body.driver_id ?? null, language: body.language ?? fleet.locale };
    // The same request while an identical one is still queued (a retry, a double click) is that report.
    let same = db.selectFrom('reports').selectAll().where('status', '=', 'queued');
    for (const [column, value] of Object.entries(wanted)) same = same.where(column as keyof typeof wanted, value === null ? 'is' : '=', value as never);
    let report = await same.executeTakeFirst();
    if (!report) {
      const now = new Date(platform.clock.now());
      report = await db
        .insertInto('reports')
        .values({ id: platform.ids.next(), ...wanted, status: 'queued', requested_by: c.var.principal.userId, blob_key: null, size_bytes: null, pages: null, error: null, created_at: now, updated_at: now, ready_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await enqueue(report);
      await audit(deps, { event: 'report_requested', userId: c.var.principal.userId, fleetId, ip: clientIp(c), details: { reportId: report.id, from: body.from, to: body.to, format: body.format } });
    }
    c.header('Location', `/api/v1/reports/${report.id}`);
    return c.json((await present([report]))[0], 202);
  });

  app.post('/api/v1/reports/:id/regenerate', async (c) => {
    const report = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'reports');
    let current = report;
    // A report already being made is left to finish: regenerating twice in a row makes it once.
    if (report.status !== 'queued') {
      current = await db
        .updateTable('reports')
        .set({ status: 'queued', generation: report.generation + 1, error: null, updated_at: new Date(platform.clock.now()) })
        .where('id', '=', report.id)
        .where('generation', '=', report.generation)
        .returningAll()
        .executeTakeFirstOrThrow(() => new AppError('conflict', 'the report changed meanwhile; try again'));
      await enqueue(current);
      await audit(deps, { event: 'report_regenerated', userId: c.var.principal.userId, fleetId: report.fleet_id, ip: clientIp(c), details: { reportId: report.id, generation: current.generation } });
    }
    return c.json((await present([current]))[0], 202);
  });
}

const reportShape = 'id, kind (daily | on_demand), format, status (queued | ready | failed), from, to, vehicle_id, driver_id, language, pages, size_bytes, error, created_at, ready_at, expires_at, file_name, download_url (signed, 1 h; null until ready), download_url_expires_at';

export const reportDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/reports', summary: `List reports, newest first: ${reportShape}`, tag: 'Reports', auth: 'bearer', query: listQuery, responses: { 200: 'A page of reports' } },
  { method: 'post', path: '/api/v1/reports', summary: 'Request a report for local days (at most 366), optionally one taxi or driver, as pdf, csv or xlsx; made by a job', tag: 'Reports', auth: 'bearer', body: createBody, responses: { 202: 'The report, queued (Location: its URL)', 400: 'Bad dates or format', 403: 'Read-only caller', 404: 'Vehicle or driver not in your fleet' } },
  { method: 'get', path: '/api/v1/reports/:id', summary: 'A report, with its download link once ready', tag: 'Reports', auth: 'bearer', responses: { 200: 'The report', 404: 'Not found' } },
  { method: 'get', path: '/api/v1/reports/:id/file', summary: 'Redirect to a fresh 5-minute download link', tag: 'Reports', auth: 'bearer', responses: { 302: 'To the file', 404: 'Not found', 409: 'Not ready' } },
  { method: 'post', path: '/api/v1/reports/:id/regenerate', summary: 'Make the report again from the current data (a queued one is left as it is)', tag: 'Reports', auth: 'bearer', responses: { 202: 'The report, queued', 403: 'Read-only caller', 404: 'Not found' } },
];
