/**
 * /api/v1/incidents: what the vision job and telemetry rules found, filterable, and reviewed by people:
 * acknowledge, resolve or mark false positive (with a reason), recording who and when.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { dispatchWebhookEvent } from '../domain/webhooks/dispatch.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const SEVERITY = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const STATUS = z.enum(['open', 'acknowledged', 'resolved', 'false_positive']);
const listQuery = pageQuery
  .extend({ ...timeRangeFields, status: STATUS.optional(), type: z.string().max(40).optional(), severity: SEVERITY.optional(), vehicle_id: z.string().optional(), source: z.enum(['vision', 'telemetry']).optional() })
  .refine(rangeIsOrdered, RANGE_ERROR);
const reviewBody = z
  .object({ status: z.enum(['acknowledged', 'resolved', 'false_positive']), reason: z.string().trim().max(500).optional() })
  .refine((b) => b.status !== 'false_positive' || (b.reason && b.reason.length > 0), { message: 'say why it is a false positive', path: ['reason'] });
const COLUMNS = [
  'id', 'fleet_id', 'vehicle_id', 'driver_id', 'trip_id', 'frame_id', 'type', 'severity', 'confidence', 'description', 'source', 'status',
  'latitude', 'longitude', 'occurred_at', 'last_seen_at', 'occurrences', 'status_changed_by', 'status_changed_at', 'status_reason', 'created_at',
] as const;

export function registerIncidents(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/incidents');

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'incidents').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('incident', id);
    return row;
  };

  app.get('/api/v1/incidents', async (c) => {
    authorize(c.var.principal, 'read', 'incidents');
    const q = readQuery(c, listQuery);
    let query = scopedTo(db, c.var.principal, 'incidents').select(COLUMNS).orderBy('id', 'desc').limit(q.limit + 1);
    const before = decodeCursor(q.cursor);
    if (before) query = query.where('id', '<', before);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.type) query = query.where('type', '=', q.type);
    if (q.severity) query = query.where('severity', '=', q.severity);
    if (q.source) query = query.where('source', '=', q.source);
    if (q.vehicle_id) query = query.where('vehicle_id', '=', q.vehicle_id);
    if (q.from) query = query.where('occurred_at', '>=', new Date(q.from));
    if (q.to) query = query.where('occurred_at', '<=', new Date(q.to));
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.get('/api/v1/incidents/:id', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'incidents');
    return c.json(jsonRow(incident));
  });

  app.patch('/api/v1/incidents/:id', async (c) => {
    const incident = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'incidents');
    const review = await readJson(c, reviewBody);
    if (incident.status === 'resolved' || incident.status === 'false_positive') {
      throw new AppError('conflict', `the incident is already ${incident.status}`);
    }
    const now = new Date(platform.clock.now());
    await db
      .updateTable('incidents')
      .set({ status: review.status, status_reason: review.reason ?? null, status_changed_by: c.var.principal.userId, status_changed_at: now })
      .where('id', '=', incident.id)
      .execute();
    await audit(deps, { event: 'incident_reviewed', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, status: review.status } });
    const updated = jsonRow(await find(c.var.principal, incident.id));
    await platform.bus.publish(incident.fleet_id, 'incident_updated', updated);
    await dispatchWebhookEvent(platform, incident.fleet_id, 'incident_updated', updated);
    return c.json(updated);
  });
}

export const incidentDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/incidents', summary: 'List incidents, newest first, with filters', tag: 'Incidents', auth: 'bearer', query: listQuery, responses: { 200: 'A page of incidents' } },
  { method: 'get', path: '/api/v1/incidents/:id', summary: 'Get an incident', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The incident', 404: 'Not found' } },
  { method: 'patch', path: '/api/v1/incidents/:id', summary: 'Acknowledge, resolve or mark false positive', tag: 'Incidents', auth: 'bearer', body: reviewBody, responses: { 200: 'Reviewed', 409: 'Already closed' } },
];
