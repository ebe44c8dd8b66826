/** /api/v1/alerts: alerts raised for incidents (filter by taxi, driver, time); people mark them read and acknowledge them. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { alertsWhere, withIncident } from '../domain/queries/alerts-query.ts';
import { authorize, notFound } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { recordAlertEvent } from '../domain/notifications/alert-events.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const listQuery = pageQuery
  .extend({
    unread: z.enum(['true', 'false']).optional(),
    acknowledged: z.enum(['true', 'false']).optional(),
    severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).optional(),
    vehicle_id: z.string().max(64).optional(),
    incident_id: z.string().max(64).optional().describe('the incident the alert was raised for'),
    driver_id: z.string().max(64).optional().describe('the driver assigned to the taxi when the alert was raised'),
    ...timeRangeFields,
  })
  .refine(rangeIsOrdered, RANGE_ERROR);
export function registerAlerts(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/alerts');

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await withIncident(alertsWhere(db, principal)).where('alerts.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('alert', id);
    return row;
  };

  app.get('/api/v1/alerts', async (c) => {
    authorize(c.var.principal, 'read', 'alerts');
    const q = readQuery(c, listQuery);
    const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');
    const filter = {
      unread: flag(q.unread),
      acknowledged: flag(q.acknowledged),
      severity: q.severity,
      vehicleId: q.vehicle_id,
      incidentId: q.incident_id,
      driverId: q.driver_id,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    };
    let query = withIncident(alertsWhere(db, c.var.principal, filter))
      .orderBy('alerts.id', 'desc')
      .limit(q.limit + 1);
    const before = decodeCursor(q.cursor);
    if (before) query = query.where('alerts.id', '<', before);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.get('/api/v1/alerts/:id', async (c) => {
    const alert = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'alerts');
    return c.json(jsonRow(alert));
  });

  // Reading an alert is personal bookkeeping, so viewers may do it; acknowledging is a decision, so they may not.
  // An API key has no person behind it: marking read changes the fleet's alerts, so it needs write:alerts.
  app.post('/api/v1/alerts/:id/read', async (c) => {
    const alert = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, c.var.principal.apiKey ? 'write' : 'read', 'alerts');
    if (!alert.read_at)
      await db
        .updateTable('alerts')
        .set({ read_at: new Date(platform.clock.now()) })
        .where('id', '=', alert.id)
        .execute();
    return c.json(jsonRow(await find(c.var.principal, alert.id)));
  });

  app.post('/api/v1/alerts/:id/acknowledge', async (c) => {
    const alert = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'alerts');
    if (!alert.acknowledged_at) {
      const now = new Date(platform.clock.now());
      await db
        .updateTable('alerts')
        .set({ acknowledged_at: now, acknowledged_by: c.var.principal.userId, read_at: alert.read_at ?? now })
        .where('id', '=', alert.id)
        .where('acknowledged_at', 'is', null)
        .execute();
      // On the alert's timeline; escalation stops at the acknowledgement (domain/notifications/escalate.ts).
      const by = c.var.principal.userId
        ? await db.selectFrom('users').select('email').where('id', '=', c.var.principal.userId).executeTakeFirst()
        : undefined;
      await recordAlertEvent(platform, alert.id, 'acknowledged', 'acknowledged', {
        user_id: c.var.principal.userId,
        user_email: by?.email ?? null,
        api_key_id: c.var.principal.apiKey?.id ?? null,
      });
    }
    return c.json(jsonRow(await find(c.var.principal, alert.id)));
  });
}

export const alertDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/alerts',
    summary: 'List alerts, newest first, by taxi, driver (assigned when it was raised), severity, state and time',
    tag: 'Incidents',
    auth: 'bearer',
    query: listQuery,
    responses: { 200: 'A page of alerts' },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/:id',
    summary: 'Get an alert',
    tag: 'Incidents',
    auth: 'bearer',
    responses: { 200: 'The alert', 404: 'Not found' },
  },
  {
    method: 'post',
    path: '/api/v1/alerts/:id/read',
    summary: 'Mark an alert read',
    tag: 'Incidents',
    auth: 'bearer',
    responses: { 200: 'The alert' },
  },
  {
    method: 'post',
    path: '/api/v1/alerts/:id/acknowledge',
    summary: 'Acknowledge an alert',
    tag: 'Incidents',
    auth: 'bearer',
    responses: { 200: 'The alert', 403: 'Read-only caller' },
  },
];
