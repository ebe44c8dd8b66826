/**
 * /api/v1/users: people with access to a fleet. Owners invite and remove viewers; platform admins manage
 * owners and viewers of any fleet and change roles. Role changes and removals are audited, and take effect on
 * the user's existing tokens at once (a removed user's open live streams end too).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { accountChanged } from '../domain/auth/account-state.ts';
import { audit } from '../domain/auth/audit.ts';
import { revokeUser } from '../domain/auth/revoked-credentials.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { createUser } from '../domain/provisioning.ts';
import { authorize, notFound, requireManager, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';

const createBody = z.object({ email: z.string(), password: z.string(), role: z.enum(['owner', 'viewer']), name: z.string().optional(), fleet_id: z.string().optional() });
const updateBody = z.object({ role: z.enum(['owner', 'viewer']).optional(), name: z.string().trim().max(200).optional() }).strict();
const COLUMNS = ['id', 'fleet_id', 'email', 'name', 'role', 'mfa_enabled', 'created_at'] as const;

/** Owners manage viewers only; admins manage owners and viewers. */
function mayManageRole(principal: Principal, role: string): void {
  if (principal.role !== 'admin' && role !== 'viewer') throw new AppError('forbidden', 'owners can add and remove viewers; ask a platform admin for owners');
}

export function registerUsers(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/users');

  const find = async (principal: Principal, id: string) => {
    // Platform admins are nobody's tenant data: only visible to admins.
    const row = await scopedTo(db, principal, 'users').select(COLUMNS).where('id', '=', id).where('role', '!=', 'admin').executeTakeFirst();
    if (!row) throw notFound('user', id);
    return row;
  };

  app.get('/api/v1/users', async (c) => {
    if (c.var.principal.apiKey) throw new AppError('forbidden', 'API keys cannot list users');
    const q = readQuery(c, pageQuery);
    let query = scopedTo(db, c.var.principal, 'users').select(COLUMNS).where('role', '!=', 'admin').orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.get('/api/v1/users/:id', async (c) => {
    const user = await find(c.var.principal, c.req.param('id'));
    if (c.var.principal.apiKey) throw new AppError('forbidden', 'API keys cannot read users');
    authorize(c.var.principal, 'read', 'users');
    return c.json(jsonRow(user));
  });

  app.post('/api/v1/users', async (c) => {
    requireManager(c.var.principal);
    const body = await readJson(c, createBody);
    mayManageRole(c.var.principal, body.role);
    const user = await createUser(deps, { fleetId: targetFleet(c.var.principal, body.fleet_id), email: body.email, password: body.password, role: body.role, name: body.name });
    await audit(deps, { event: 'user_created', userId: c.var.principal.userId, fleetId: user.fleet_id, ip: clientIp(c), details: { newUserId: user.id, role: user.role } });
    return c.json(user, 201);
  });

  app.patch('/api/v1/users/:id', async (c) => {
    const user = await find(c.var.principal, c.req.param('id'));
    requireManager(c.var.principal);
    const changes = await readJson(c, updateBody);
    if (changes.role && changes.role !== user.role) {
      if (c.var.principal.role !== 'admin') throw new AppError('forbidden', 'only platform admins change roles');
      await audit(deps, { event: 'role_changed', userId: c.var.principal.userId, fleetId: user.fleet_id, ip: clientIp(c), details: { targetUserId: user.id, from: user.role, to: changes.role } });
    }
    if (Object.keys(changes).length > 0) await db.updateTable('users').set(changes).where('id', '=', user.id).execute();
    // Their tokens act with the new role from the next request on, on every instance (not after the cache expires).
    if (changes.role && changes.role !== user.role) await accountChanged(platform.cache, user.id);
    return c.json(jsonRow(await find(c.var.principal, user.id)));
  });

  app.delete('/api/v1/users/:id', async (c) => {
    const user = await find(c.var.principal, c.req.param('id'));
    requireManager(c.var.principal);
    mayManageRole(c.var.principal, user.role);
    if (user.id === c.var.principal.userId) throw new AppError('conflict', 'you cannot remove yourself');
    await db.deleteFrom('users').where('id', '=', user.id).execute();
    // Their access tokens are refused from the next request on and their open live streams end, on every instance.
    await revokeUser(platform, user.id);
    await audit(deps, { event: 'user_removed', userId: c.var.principal.userId, fleetId: user.fleet_id, ip: clientIp(c), details: { removedUserId: user.id, role: user.role } });
    return c.body(null, 204);
  });
}

export const userDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/users', summary: "List the fleet's users", tag: 'Users', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of users' } },
  { method: 'post', path: '/api/v1/users', summary: 'Add a user (owners add viewers; admins add owners too)', tag: 'Users', auth: 'bearer', body: createBody, responses: { 201: 'Created', 403: 'Not allowed for this role', 409: 'Email taken' } },
  { method: 'get', path: '/api/v1/users/:id', summary: 'Get a user', tag: 'Users', auth: 'bearer', responses: { 200: 'The user', 404: 'Not found' } },
  { method: 'patch', path: '/api/v1/users/:id', summary: 'Rename, or change role (admins)', tag: 'Users', auth: 'bearer', body: updateBody, responses: { 200: 'Updated', 403: 'Not allowed', 404: 'Not found' } },
  { method: 'delete', path: '/api/v1/users/:id', summary: 'Remove a user', tag: 'Users', auth: 'bearer', responses: { 204: 'Removed', 403: 'Not allowed', 404: 'Not found' } },
];
