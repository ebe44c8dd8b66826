/**
 * /api/v1/webhooks: owners register HTTPS endpoints for event types, see each delivery's outcome and replay it.
 * The signing secret is shown once, at creation.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { parseInput } from '../domain/validation.ts';
import { dispatchWebhookEvent, enqueueDelivery, forgetFleetWebhooks, WEBHOOK_EVENT_TYPES } from '../domain/webhooks/dispatch.ts';
import { checkWebhookTarget, webhookTargetOptions } from '../domain/webhooks/webhook-target.ts';
import { SEVERITIES } from '../domain/vision/vision-verdict.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';

const createBody = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  event_types: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1),
  min_severity: z.enum(SEVERITIES).optional().describe('Only alerts and incident updates of this severity or higher (default: all)'),
  fleet_id: z.string().optional(),
});
const COLUMNS = ['id', 'fleet_id', 'url', 'event_types', 'min_severity', 'active', 'created_at'] as const;
const DELIVERY_COLUMNS = ['id', 'webhook_id', 'event_type', 'status', 'attempts', 'last_status_code', 'last_error', 'payload', 'created_at', 'updated_at'] as const;

export function registerWebhooks(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/webhooks');

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'webhooks').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('webhook', id);
    return row;
  };

  app.get('/api/v1/webhooks', async (c) => {
    authorize(c.var.principal, 'read', 'webhooks');
    const q = readQuery(c, pageQuery);
    let query = scopedTo(db, c.var.principal, 'webhooks').select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.post('/api/v1/webhooks', async (c) => {
    authorize(c.var.principal, 'write', 'webhooks');
    const body = parseInput(createBody, await readJson(c, z.unknown()));
    const target = await checkWebhookTarget(body.url, webhookTargetOptions(platform));
    if (!target.ok) {
      const { message, reason } = target.problem;
      throw new AppError('validation_failed', `url: ${message}`, { details: [{ path: 'url', message, reason }] });
    }
    const secret = `whsec_${Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    const row = await db
      .insertInto('webhooks')
      .values({
        id: platform.ids.next(),
        fleet_id: targetFleet(c.var.principal, body.fleet_id),
        url: body.url,
        event_types: JSON.stringify([...new Set(body.event_types)]),
        min_severity: body.min_severity ?? null,
        secret,
        created_at: new Date(platform.clock.now()),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await forgetFleetWebhooks(platform, row.fleet_id);
    await audit(deps, { event: 'webhook_created', userId: c.var.principal.userId, fleetId: row.fleet_id, ip: clientIp(c), details: { webhookId: row.id, url: row.url } });
    return c.json({ ...jsonRow(row), secret }, 201);
  });

  app.delete('/api/v1/webhooks/:id', async (c) => {
    const hook = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'webhooks');
    await db.deleteFrom('webhooks').where('id', '=', hook.id).execute();
    await forgetFleetWebhooks(platform, hook.fleet_id);
    return c.body(null, 204);
  });

  app.post('/api/v1/webhooks/:id/ping', async (c) => {
    const hook = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'webhooks');
    const [deliveryId] = await dispatchWebhookEvent(platform, hook.fleet_id, 'ping', { message: 'TaxiWatch webhook test' }, hook.id);
    return c.json({ delivery_id: deliveryId }, 202);
  });

  app.get('/api/v1/webhooks/:id/deliveries', async (c) => {
    const hook = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'webhooks');
    const q = readQuery(c, pageQuery);
    let query = db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('webhook_id', '=', hook.id).orderBy('id', 'desc').limit(q.limit + 1);
    const before = decodeCursor(q.cursor);
    if (before) query = query.where('id', '<', before);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.post('/api/v1/webhooks/:id/deliveries/:deliveryId/replay', async (c) => {
    const hook = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'webhooks');
    const deliveryId = c.req.param('deliveryId');
    const delivery = await db.selectFrom('webhook_deliveries').select(['id', 'status']).where('id', '=', deliveryId).where('webhook_id', '=', hook.id).executeTakeFirst();
    if (!delivery) throw notFound('delivery', deliveryId);
    if (delivery.status === 'pending') throw new AppError('conflict', 'this delivery is still being retried');
    await db.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, updated_at: new Date(platform.clock.now()) }).where('id', '=', delivery.id).execute();
    await enqueueDelivery(platform, delivery.id, `webhook:${delivery.id}:replay:${platform.ids.next()}`);
    return c.json({ delivery_id: delivery.id, status: 'pending' }, 202);
  });
}

export const webhookDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/webhooks', summary: "List the fleet's webhooks", tag: 'Webhooks', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of webhooks' } },
  { method: 'post', path: '/api/v1/webhooks', summary: 'Register a webhook (secret shown once)', tag: 'Webhooks', auth: 'bearer', body: createBody, responses: { 201: 'Created, with its signing secret', 400: 'Invalid URL or event type, or a URL whose host is or resolves to a private address' } },
  { method: 'delete', path: '/api/v1/webhooks/:id', summary: 'Delete a webhook', tag: 'Webhooks', auth: 'bearer', responses: { 204: 'Deleted', 404: 'Not found' } },
  { method: 'post', path: '/api/v1/webhooks/:id/ping', summary: 'Send a test event', tag: 'Webhooks', auth: 'bearer', responses: { 202: 'Queued' } },
  { method: 'get', path: '/api/v1/webhooks/:id/deliveries', summary: 'Delivery log, newest first', tag: 'Webhooks', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of deliveries' } },
  { method: 'post', path: '/api/v1/webhooks/:id/deliveries/:deliveryId/replay', summary: 'Send a finished delivery again', tag: 'Webhooks', auth: 'bearer', responses: { 202: 'Queued', 409: 'Still retrying' } },
];
