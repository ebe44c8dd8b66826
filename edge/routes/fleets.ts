/** /api/v1/fleets: platform admins create and list fleets; owners see and adjust their own. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { audit } from '../domain/auth/audit.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { createFleet } from '../domain/provisioning.ts';
import { notFound, requireManager } from '../domain/tenancy.ts';
import { telemetryInForce, telemetryOverrides } from '../domain/telemetry/settings.ts';
import { retentionAsJson, retentionInForce, retentionOverrides } from '../domain/retention/retention-settings.ts';
import { isValidTimezone } from '../domain/validation.ts';
import { escalationInForce, escalationSettingsSchema } from '../domain/notifications/escalation-settings.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';

const createBody = z.object({ name: z.string(), timezone: z.string().optional(), locale: z.enum(['es', 'en']).optional(), speed_limit_kmh: z.number().int().optional() });
const updateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    timezone: z.string().refine(isValidTimezone, { message: 'expected an IANA timezone such as Europe/Madrid' }).optional(),
    locale: z.enum(['es', 'en']).optional(),
    speed_limit_kmh: z.number().int().min(10).max(250).optional(),
    // Replaces the fleet's threshold overrides as a whole; {} goes back to the defaults. Applies to fixes from now on.
    telemetry: telemetryOverrides.optional(),
    // Days each kind of data is kept (0: for ever), replacing the fleet's overrides as a whole; {} = the defaults.
    retention: retentionOverrides.optional(),
    // Escalation of unacknowledged CRITICAL alerts (docs/use/notifications.md), replaced as a whole.
    notifications: escalationSettingsSchema.optional(),
    // Lets owners give drivers a read-only link to their own score (docs/use/safety-scores.md); off stops every link.
    drivers_see_own_score: z.boolean().optional(),
  })
  .strict();

// What owners tune, with the value in force: their override, else the default.
const presenter = (platform: Platform) => (row: Record<string, unknown> & { speed_limit_kmh: number; retention: unknown; notifications: unknown }) => ({
  ...jsonRow(row),
  notifications: escalationInForce(row.notifications),
  telemetry: telemetryInForce(row),
  retention: retentionAsJson(retentionInForce(row, platform.config)),
});

export function registerFleets(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  const present = presenter(platform);
  protectResource(app, platform, '/api/v1/fleets');

  // The fleets table is the tenant itself: a non-admin sees exactly one row, their own.
  const visible = (principal: Principal) => {
    const query = db.selectFrom('fleets').selectAll();
    return principal.role === 'admin' && !principal.apiKey ? query : query.where('id', '=', principal.fleetId ?? '');
  };
  const find = async (principal: Principal, id: string) => {
    const row = await visible(principal).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('fleet', id);
    return row;
  };

  // Escalation goes to people of this fleet only.
  const requireFleetPeople = async (fleetId: string, userIds: string[]) => {
    if (userIds.length === 0) return;
    const found = new Set((await db.selectFrom('users').select('id').where('fleet_id', '=', fleetId).where('id', 'in', userIds).execute()).map((u) => u.id));
    const stranger = userIds.findIndex((id) => !found.has(id));
    if (stranger >= 0) {
      const message = `user ${userIds[stranger]} is not a member of this fleet`;
      throw new AppError('validation_failed', `notifications.escalation_list.${stranger}: ${message}`, { details: [{ path: `notifications.escalation_list.${stranger}`, message }] });
    }
  };

  app.get('/api/v1/fleets', async (c) => {
    const q = readQuery(c, pageQuery);
    let query = visible(c.var.principal).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return c.json(page((await query.execute()).map(present), q.limit));
  });

  app.get('/api/v1/fleets/:id', async (c) => c.json(present(await find(c.var.principal, c.req.param('id')))));

  app.post('/api/v1/fleets', async (c) => {
    if (c.var.principal.role !== 'admin' || c.var.principal.apiKey) throw new AppError('forbidden', 'only platform admins create fleets');
    const body = await readJson(c, createBody);
    const fleet = await createFleet(deps, { name: body.name, timezone: body.timezone, locale: body.locale, speedLimitKmh: body.speed_limit_kmh });
    await audit(deps, { event: 'fleet_created', userId: c.var.principal.userId, fleetId: fleet.id, ip: clientIp(c) });
    return c.json(present(fleet), 201);
  });

  app.patch('/api/v1/fleets/:id', async (c) => {
    const fleet = await find(c.var.principal, c.req.param('id'));
    requireManager(c.var.principal);
    const changes = await readJson(c, updateBody);
    const { telemetry, retention, notifications, ...rest } = changes;
    if (notifications) await requireFleetPeople(fleet.id, notifications.escalation_list);
    const values = { ...rest, ...(telemetry ? { telemetry: JSON.stringify(telemetry) } : {}), ...(retention ? { retention: JSON.stringify(retention) } : {}), ...(notifications ? { notifications: JSON.stringify(notifications) } : {}) };
    if (Object.keys(values).length > 0) await db.updateTable('fleets').set(values).where('id', '=', fleet.id).execute();
    return c.json(present(await find(c.var.principal, fleet.id)));
  });
}

export const fleetDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/fleets', summary: 'List fleets (admins: all; others: their own)', tag: 'Fleets', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of fleets' } },
  { method: 'post', path: '/api/v1/fleets', summary: 'Create a fleet (platform admins)', tag: 'Fleets', auth: 'bearer', body: createBody, responses: { 201: 'Created', 403: 'Not a platform admin' } },
  { method: 'get', path: '/api/v1/fleets/:id', summary: 'Get a fleet', tag: 'Fleets', auth: 'bearer', responses: { 200: 'The fleet', 404: 'Not found' } },
  { method: 'patch', path: '/api/v1/fleets/:id', summary: 'Change name, timezone, locale, speed limit, telemetry thresholds, retention days or alert escalation', tag: 'Fleets', auth: 'bearer', body: updateBody, responses: { 200: 'Updated', 403: 'Read-only caller', 404: 'Not found' } },
];
