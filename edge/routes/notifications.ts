/**
 * /api/v1/notifications: a person's browsers for Web Push, their notification preferences, a test push; and what
 * the notifier did — an alert's deliveries and timeline (/api/v1/alerts/{id}/…), every delivery for platform admins.
 * Subscriptions and preferences belong to a person, so API keys (no person behind them) are refused.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { fromBase64Url } from '../domain/bytes.ts';
import { DEFAULT_PREFERENCES, preferencesOrDefault, preferencesSchema } from '../domain/notifications/preferences.ts';
import { alertsWhere } from '../domain/queries/alerts-query.ts';
import { authorize, notFound } from '../domain/tenancy.ts';
import { isPrivateHost } from '../domain/webhooks/webhook-target.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson, readQuery } from './route-helpers.ts';

const base64urlOf = (bytes: number, what: string) =>
  z
    .string()
    .max(200)
    .refine((v) => fromBase64Url(v)?.length === bytes && /^[A-Za-z0-9_-]+=*$/.test(v), {
      message: `expected ${what}, base64url (${bytes} bytes)`,
    });

const subscribeBody = z.object({
  endpoint: z.string().min(1).max(2048),
  keys: z.object({
    p256dh: base64urlOf(65, "the browser's P-256 public key").refine((v) => fromBase64Url(v)?.[0] === 4, {
      message: 'expected an uncompressed P-256 point (first byte 0x04)',
    }),
    auth: base64urlOf(16, 'the auth secret'),
  }),
  user_agent: z.string().max(500).optional(),
});

const deliveriesQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'gone', 'held']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Only the push service's host: the endpoint's path is a bearer capability to push to that browser. */
export const maskTarget = (channel: string, target: string) => {
  if (channel !== 'push') return target;
  try {
    return new URL(target).host;
  } catch {
    return '(invalid endpoint)';
  }
};

function person(principal: Principal): string {
  if (principal.apiKey || !principal.userId)
    throw new AppError(
      'forbidden',
      'push subscriptions and notification preferences belong to a person: sign in as a user (an API key has no person behind it)',
    );
  return principal.userId;
}

function endpointProblem(platform: Platform, endpoint: string): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'expected the URL the browser’s PushManager.subscribe() returned';
  }
  if (url.username || url.password) return 'the endpoint must not contain credentials';
  if (platform.config.PUSH_ALLOW_LOOPBACK_ENDPOINTS)
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'expected an http(s) URL';
  if (url.protocol !== 'https:') return 'expected an https:// push service URL';
  // Our server POSTs to this URL: a private or loopback one would make it call its own network.
  if (isPrivateHost(url.hostname))
    return `${url.hostname} is a loopback, private or link-local address; push services are public (PUSH_ALLOW_LOOPBACK_ENDPOINTS=true allows others)`;
  return null;
}

export function registerNotifications(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/notifications');

  app.get('/api/v1/notifications/push-key', async (c) => {
    if (!platform.push)
      throw new AppError(
        'not_configured',
        'Web Push is not available here: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or DATABASE_URL, to keep generated keys)',
      );
    return c.json({ public_key: await platform.push.publicKey() });
  });

  app.get('/api/v1/notifications/push-subscriptions', async (c) => {
    const userId = person(c.var.principal);
    const rows = await db
      .selectFrom('push_subscriptions')
      .select(['id', 'endpoint', 'user_agent', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return c.json({
      items: rows.map((r) => ({
        ...r,
        created_at: r.created_at.toISOString(),
        last_used_at: r.last_used_at?.toISOString() ?? null,
      })),
    });
  });

  app.post('/api/v1/notifications/push-subscriptions', async (c) => {
    const userId = person(c.var.principal);
    const body = await readJson(c, subscribeBody);
    const problem = endpointProblem(platform, body.endpoint);
    if (problem)
      throw new AppError('validation_failed', `endpoint: ${problem}`, {
        details: [{ path: 'endpoint', message: problem }],
      });
    const now = new Date(platform.clock.now());
    const values = {
      user_id: userId,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      user_agent: body.user_agent ?? null,
    };
    const existing = await db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('endpoint', '=', body.endpoint)
      .executeTakeFirst();
    // The same browser again (a new login on a shared phone, refreshed keys): one row, now the caller's.
    const row = await db
      .insertInto('push_subscriptions')
      .values({ id: platform.ids.next(), endpoint: body.endpoint, created_at: now, ...values })
      .onConflict((oc) => oc.column('endpoint').doUpdateSet(values))
      .returning(['id', 'endpoint', 'created_at'])
      .executeTakeFirstOrThrow();
    return c.json(
      { id: row.id, endpoint: row.endpoint, created_at: row.created_at.toISOString() },
      existing ? 200 : 201,
    );
  });

  app.delete('/api/v1/notifications/push-subscriptions/:id', async (c) => {
    // Another person's subscription, or any for an API key, is simply not found.
    const deleted = await db
      .deleteFrom('push_subscriptions')
      .where('id', '=', c.req.param('id'))
      .where('user_id', '=', c.var.principal.userId ?? '')
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound('push subscription', c.req.param('id'));
    return c.body(null, 204);
  });

  app.get('/api/v1/notifications/preferences', async (c) => {
    const userId = person(c.var.principal);
    const row = await db
      .selectFrom('notification_preferences')
      .select('preferences')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return c.json(row ? preferencesOrDefault(row.preferences) : DEFAULT_PREFERENCES);
  });

  app.put('/api/v1/notifications/preferences', async (c) => {
    const userId = person(c.var.principal);
    const prefs = await readJson(c, preferencesSchema);
    const now = new Date(platform.clock.now());
    const preferences = JSON.stringify(prefs);
    await db
      .insertInto('notification_preferences')
      .values({ user_id: userId, preferences, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ preferences, updated_at: now }))
      .execute();
    return c.json(prefs);
  });

  app.post('/api/v1/notifications/test', async (c) => {
    const userId = person(c.var.principal);
    if (!platform.push)
      throw new AppError(
        'not_configured',
        'Web Push is not available here: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY',
      );
    const subs = await db
      .selectFrom('push_subscriptions')
      .select(['id', 'endpoint', 'p256dh', 'auth'])
      .where('user_id', '=', userId)
      .execute();
    const lang =
      (
        await db
          .selectFrom('users')
          .leftJoin('fleets', 'fleets.id', 'users.fleet_id')
          .select('fleets.locale')
          .where('users.id', '=', userId)
          .executeTakeFirst()
      )?.locale ?? 'en';
    const payload = JSON.stringify({
      title: 'TaxiWatch',
      body:
        lang === 'es'
          ? 'Notificación de prueba: las alertas llegarán a este dispositivo.'
          : 'Test notification: alerts will reach this device.',
      url: '/settings/notifications',
      tag: 'test',
      alert_id: null,
      incident_id: null,
      severity: null,
      lang,
    });
    let sent = 0;
    let failed = 0;
    await Promise.all(
      subs.map(async (sub) => {
        const outcome = await platform.push!.send(sub, payload, { ttlSeconds: 60, urgency: 'normal', topic: 'test' });
        if (outcome.status === 'sent') {
          sent++;
          await db
            .updateTable('push_subscriptions')
            .set({ last_used_at: new Date(platform.clock.now()) })
            .where('id', '=', sub.id)
            .execute();
          return;
        }
        failed++;
        if (outcome.status === 'gone') await db.deleteFrom('push_subscriptions').where('id', '=', sub.id).execute();
      }),
    );
    return c.json({ sent, failed });
  });

  // The alert routes' authentication (registerAlerts) already guards /api/v1/alerts/*.
  const findAlert = async (principal: Principal, id: string) => {
    const alert = await alertsWhere(db, principal)
      .select(['alerts.id', 'alerts.fleet_id'])
      .where('alerts.id', '=', id)
      .executeTakeFirst();
    if (!alert) throw notFound('alert', id);
    authorize(principal, 'read', 'alerts');
    return alert;
  };

  app.get('/api/v1/alerts/:id/deliveries', async (c) => {
    const alert = await findAlert(c.var.principal, c.req.param('id'));
    const rows = await deliveryRows()
      .where('notification_deliveries.alert_id', '=', alert.id)
      .orderBy('notification_deliveries.created_at')
      .orderBy('notification_deliveries.id')
      .execute();
    return c.json({ items: rows.map((r) => presentDelivery(r, c.var.principal)) });
  });

  app.get('/api/v1/alerts/:id/timeline', async (c) => {
    const alert = await findAlert(c.var.principal, c.req.param('id'));
    const rows = await db
      .selectFrom('alert_events')
      .select(['kind', 'detail', 'at'])
      .where('alert_id', '=', alert.id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return c.json({ items: rows.map((r) => ({ kind: r.kind, detail: r.detail, at: r.at.toISOString() })) });
  });

  app.get('/api/v1/admin/notifications/deliveries', async (c) => {
    if (c.var.principal.role !== 'admin' || c.var.principal.apiKey)
      throw new AppError('forbidden', 'platform admins only');
    const q = readQuery(c, deliveriesQuery);
    let query = deliveryRows()
      .orderBy('notification_deliveries.created_at', 'desc')
      .orderBy('notification_deliveries.id', 'desc')
      .limit(q.limit);
    if (q.status) query = query.where('notification_deliveries.status', '=', q.status);
    return c.json({
      items: (await query.execute()).map((r) => ({
        fleet_id: r.fleet_id,
        alert_id: r.alert_id,
        ...presentDelivery(r, c.var.principal),
      })),
    });
  });

  const deliveryRows = () =>
    db
      .selectFrom('notification_deliveries')
      .innerJoin('users', 'users.id', 'notification_deliveries.user_id')
      .select([
        'notification_deliveries.id',
        'notification_deliveries.fleet_id',
        'notification_deliveries.alert_id',
        'notification_deliveries.user_id',
        'users.email as user_email',
        'users.fleet_id as user_fleet_id',
        'notification_deliveries.channel',
        'notification_deliveries.target',
        'notification_deliveries.reason',
        'notification_deliveries.status',
        'notification_deliveries.attempts',
        'notification_deliveries.last_error',
        'notification_deliveries.created_at',
        'notification_deliveries.sent_at',
      ]);
}

type DeliveryRow = {
  id: string;
  user_id: string;
  user_email: string;
  user_fleet_id: string | null;
  channel: string;
  target: string;
  reason: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
};

/** Escalations to platform admins show in a fleet's log without the admins' addresses. */
function presentDelivery(r: DeliveryRow, principal: Principal) {
  const hidden = r.user_fleet_id === null && principal.role !== 'admin';
  return {
    id: r.id,
    user_id: r.user_id,
    user_email: hidden ? null : r.user_email,
    channel: r.channel,
    target: hidden
      ? r.channel === 'email'
        ? '(platform admin)'
        : maskTarget(r.channel, r.target)
      : maskTarget(r.channel, r.target),
    reason: r.reason,
    status: r.status,
    attempts: r.attempts,
    last_error: r.last_error,
    created_at: r.created_at.toISOString(),
    sent_at: r.sent_at?.toISOString() ?? null,
  };
}

export const notificationDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/notifications/push-key',
    summary: 'The VAPID public key browsers subscribe to Web Push with (applicationServerKey)',
    tag: 'Notifications',
    auth: 'bearer',
    responses: { 200: '{"public_key": base64url}', 503: 'Push not configured' },
  },
  {
    method: 'get',
    path: '/api/v1/notifications/push-subscriptions',
    summary: "The caller's own browsers subscribed to Web Push",
    tag: 'Notifications',
    auth: 'bearer',
    responses: { 200: '{"items": [...]}', 403: 'An API key (no person)' },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/push-subscriptions',
    summary: 'Subscribe this browser (the PushSubscription JSON); the same endpoint again answers 200 with the same id',
    tag: 'Notifications',
    auth: 'bearer',
    body: subscribeBody,
    responses: {
      201: 'Subscribed',
      200: 'Already subscribed (now the caller’s)',
      400: 'Invalid endpoint or keys',
      403: 'An API key (no person)',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/notifications/push-subscriptions/:id',
    summary: 'Unsubscribe one of the caller’s browsers',
    tag: 'Notifications',
    auth: 'bearer',
    responses: { 204: 'Removed', 404: 'Not one of the caller’s' },
  },
  {
    method: 'get',
    path: '/api/v1/notifications/preferences',
    summary: "The caller's notification preferences (defaults when never saved)",
    tag: 'Notifications',
    auth: 'bearer',
    responses: { 200: 'Preferences', 403: 'An API key (no person)' },
  },
  {
    method: 'put',
    path: '/api/v1/notifications/preferences',
    summary: "Replace the caller's notification preferences (channels, severities, types, digest, quiet hours)",
    tag: 'Notifications',
    auth: 'bearer',
    body: preferencesSchema,
    responses: { 200: 'Saved', 400: 'Invalid preferences', 403: 'An API key (no person)' },
  },
  {
    method: 'post',
    path: '/api/v1/notifications/test',
    summary: "Send a test push to each of the caller's browsers",
    tag: 'Notifications',
    auth: 'bearer',
    responses: { 200: '{"sent": n, "failed": n}', 403: 'An API key (no person)' },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/:id/deliveries',
    summary:
      'Who an alert was sent to, on which channel, and how it went (push targets show the push service host only)',
    tag: 'Incidents',
    auth: 'bearer',
    responses: { 200: '{"items": [...]}', 404: 'Not found' },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/:id/timeline',
    summary: "An alert's timeline: notified, escalated (to whom), acknowledged (by whom)",
    tag: 'Incidents',
    auth: 'bearer',
    responses: { 200: '{"items": [...]}', 404: 'Not found' },
  },
  {
    method: 'get',
    path: '/api/v1/admin/notifications/deliveries',
    summary: 'Every fleet’s notification deliveries, newest first (platform admins)',
    tag: 'Operations',
    auth: 'bearer',
    query: deliveriesQuery,
    responses: { 200: '{"items": [...]}', 403: 'Not a platform admin' },
  },
];
