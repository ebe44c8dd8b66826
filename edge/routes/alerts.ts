/** /api/v1/alerts: alerts raised for incidents; people mark them read and acknowledge them. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';

const listQuery = pageQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
  acknowledged: z.enum(['true', 'false']).optional(),
  severity: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).optional(),
});
const COLUMNS = ['id', 'fleet_id', 'incident_id', 'vehicle_id', 'severity', 'message', 'created_at', 'read_at', 'acknowledged_at', 'acknowledged_by'] as const;

/**
 * An alert with its incident's type and description: `message` is written once in the fleet's language, so a client
 * showing another language labels the type itself (an alert's incident is always of the alert's fleet).
 */
const withIncident = (query: ReturnType<typeof scopedTo<'alerts'>>) =>
  query
    .select(COLUMNS)
    .select((eb) => [
      eb.selectFrom('incidents').select('incidents.type').whereRef('incidents.id', '=', 'alerts.incident_id').as('incident_type'),
      eb.selectFrom('incidents').select('incidents.description').whereRef('incidents.id', '=', 'alerts.incident_id').as('incident_description'),
    ]);

export function registerAlerts(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/alerts');

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await withIncident(scopedTo(db, principal, 'alerts')).where('alerts.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('alert', id);
    return row;
  };

  app.get('/api/v1/alerts', async (c) => {
    authorize(c.var.principal, 'read', 'alerts');
    const q = readQuery(c, listQuery);
    let query = withIncident(scopedTo(db, c.var.principal, 'alerts')).orderBy('alerts.id', 'desc').limit(q.limit + 1);
    const before = decodeCursor(q.cursor);
    if (before) query = query.where('alerts.id', '<', before);
    if (q.unread) query = query.where('read_at', q.unread === 'true' ? 'is' : 'is not', null);
    if (q.acknowledged) query = query.where('acknowledged_at', q.acknowledged === 'true' ? 'is not' : 'is', null);
    if (q.severity) query = query.where('severity', '=', q.severity);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.get('/api/v1/alerts/:id', async (c) => {
    const alert = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'alerts');
    return c.json(jsonRow(alert));
  });

  // Reading an alert is personal bookkeeping, so viewers may do it; acknowledging is a decision, so they may not.
  app.post('/api/v1/alerts/:id/read', async (c) => {
    const alert = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'alerts');
    if (!alert.read_at) await db.updateTable('alerts').set({ read_at: new Date(platform.clock.now()) }).where('id', '=', alert.id).execute();
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
        .execute();
    }
    return c.json(jsonRow(await find(c.var.principal, alert.id)));
  });
}

export const alertDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/alerts', summary: 'List alerts, newest first', tag: 'Incidents', auth: 'bearer', query: listQuery, responses: { 200: 'A page of alerts' } },
  { method: 'get', path: '/api/v1/alerts/:id', summary: 'Get an alert', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The alert', 404: 'Not found' } },
  { method: 'post', path: '/api/v1/alerts/:id/read', summary: 'Mark an alert read', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The alert' } },
  { method: 'post', path: '/api/v1/alerts/:id/acknowledge', summary: 'Acknowledge an alert', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The alert', 403: 'Read-only caller' } },
];
