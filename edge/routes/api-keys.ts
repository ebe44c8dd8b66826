/** /api/v1/api-keys: owners create scoped keys for integrators (shown once), list and revoke them. */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import { revokeApiKey } from '../domain/auth/revoked-credentials.ts';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { API_KEY_ROTATION_GRACE_HOURS, createApiKey, rotateApiKey } from '../domain/auth/api-keys.ts';
import { audit } from '../domain/auth/audit.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { notFound, requireManager, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';
import { parseInput } from '../domain/validation.ts';
import { AppError } from '../errors.ts';

const expiresInDays = z.number().int().min(1).max(3650).nullable().optional().describe('Days until the key expires (default 90); null: never');
const createBody = z.object({ name: z.string().optional(), scopes: z.array(z.string()), fleet_id: z.string().optional(), expires_in_days: expiresInDays });
const rotateBody = z.object({ grace_hours: z.number().int().min(0).max(720).default(API_KEY_ROTATION_GRACE_HOURS).describe('How long the old key keeps working (default 24)'), expires_in_days: expiresInDays }).strict();
const COLUMNS = ['id', 'fleet_id', 'name', 'key_prefix', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at', 'expires_at', 'replaced_by'] as const;

export function registerApiKeys(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/api-keys');

  app.get('/api/v1/api-keys', async (c) => {
    requireManager(c.var.principal);
    const q = readQuery(c, pageQuery);
    let query = scopedTo(db, c.var.principal, 'api_keys').select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.post('/api/v1/api-keys', async (c) => {
    requireManager(c.var.principal);
    const body = await readJson(c, createBody);
    const key = await createApiKey(deps, {
      fleetId: targetFleet(c.var.principal, body.fleet_id),
      name: body.name,
      scopes: body.scopes,
      createdBy: c.var.principal.userId,
      expiresInDays: body.expires_in_days,
    });
    await audit(deps, { event: 'api_key_created', userId: c.var.principal.userId, fleetId: key.fleet_id, ip: clientIp(c), details: { apiKeyId: key.id, scopes: key.scopes } });
    return c.json(key, 201);
  });

  app.post('/api/v1/api-keys/:id/rotate', async (c) => {
    const id = c.req.param('id');
    const key = await scopedTo(db, c.var.principal, 'api_keys').select(['id', 'fleet_id']).where('id', '=', id).executeTakeFirst();
    if (!key) throw notFound('API key', id);
    requireManager(c.var.principal);
    // An empty body takes every default.
    const text = await c.req.text();
    let raw: unknown = {};
    try {
      if (text.trim() !== '') raw = JSON.parse(text);
    } catch (error) {
      throw new AppError('bad_request', 'request body must be JSON', { cause: error });
    }
    const body = parseInput(rotateBody, raw);
    const fresh = await rotateApiKey(deps, { id, graceHours: body.grace_hours, expiresInDays: body.expires_in_days, rotatedBy: c.var.principal.userId });
    await audit(deps, { event: 'api_key_rotated', userId: c.var.principal.userId, fleetId: key.fleet_id, ip: clientIp(c), details: { apiKeyId: id, newApiKeyId: fresh.id, oldKeyExpiresAt: fresh.replaced_key_expires_at } });
    return c.json(fresh, 201);
  });

  app.delete('/api/v1/api-keys/:id', async (c) => {
    const id = c.req.param('id');
    const key = await scopedTo(db, c.var.principal, 'api_keys').select(['id', 'fleet_id']).where('id', '=', id).executeTakeFirst();
    if (!key) throw notFound('API key', id);
    requireManager(c.var.principal);
    await db.updateTable('api_keys').set({ revoked_at: new Date(platform.clock.now()) }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    await revokeApiKey(platform, id);
    await audit(deps, { event: 'api_key_revoked', userId: c.var.principal.userId, fleetId: key.fleet_id, ip: clientIp(c), details: { apiKeyId: id } });
    return c.body(null, 204);
  });
}

export const apiKeyDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/api-keys', summary: "List the fleet's API keys", tag: 'API keys', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of keys (never the key itself)', 403: 'Not an owner or admin' } },
  { method: 'post', path: '/api/v1/api-keys', summary: 'Create a scoped API key (shown once)', tag: 'API keys', auth: 'bearer', body: createBody, responses: { 201: 'Created, with its key', 400: 'Unknown scope' } },
  { method: 'post', path: '/api/v1/api-keys/:id/rotate', summary: 'Rotate an API key: a new key (shown once) with the same name and scopes; the old one works for grace_hours more', tag: 'API keys', auth: 'bearer', body: rotateBody, responses: { 201: 'The new key, with replaces and replaced_key_expires_at', 404: 'Not found', 409: 'Revoked, expired or already rotated' } },
  { method: 'delete', path: '/api/v1/api-keys/:id', summary: 'Revoke an API key', tag: 'API keys', auth: 'bearer', responses: { 204: 'Revoked', 404: 'Not found' } },
];
