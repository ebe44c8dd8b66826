/** /api/v1/drivers: the fleet's drivers and their licences (with an expiry status for badges). */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { licenceStatus } from '../domain/licence-status.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { createDriver } from '../domain/provisioning.ts';
import { DRIVER_COLUMNS, driversWhere } from '../domain/queries/drivers-query.ts';
import { authorize, notFound, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { isCalendarDate } from '../domain/validation.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';

const listQuery = pageQuery.extend({ fleet_id: z.string().optional(), licence_expires_before: z.string().refine(isCalendarDate).optional() });
const createBody = z.object({ name: z.string(), licence_number: z.string().optional(), licence_expires_on: z.string(), fleet_id: z.string().optional() });
const updateBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    licence_number: z.string().trim().min(1).max(50).nullable().optional(),
    licence_expires_on: z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD' }).optional(),
  })
  .strict();
const COLUMNS = DRIVER_COLUMNS;

export function registerDrivers(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/drivers');

  const present = (row: { licence_expires_on: string } & Record<string, unknown>) => ({
    ...jsonRow(row),
    licence_status: licenceStatus(row.licence_expires_on, new Date(platform.clock.now()).toISOString().slice(0, 10)),
  });
  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'drivers').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('driver', id);
    return row;
  };

  app.get('/api/v1/drivers', async (c) => {
    authorize(c.var.principal, 'read', 'drivers');
    const q = readQuery(c, listQuery);
    let query = driversWhere(db, c.var.principal, { licenceExpiresBefore: q.licence_expires_before }).select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    if (q.fleet_id) query = query.where('fleet_id', '=', q.fleet_id);
    const rows = await query.execute();
    const result = page(rows, q.limit);
    return c.json({ ...result, data: result.data.map(present) });
  });

  app.get('/api/v1/drivers/:id', async (c) => {
    const row = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'drivers');
    return c.json(present(row));
  });

  app.post('/api/v1/drivers', async (c) => {
    authorize(c.var.principal, 'write', 'drivers');
    const body = await readJson(c, createBody);
    const driver = await createDriver(deps, {
      fleetId: targetFleet(c.var.principal, body.fleet_id),
      name: body.name,
      licenceNumber: body.licence_number,
      licenceExpiresOn: body.licence_expires_on,
    });
    return c.json(present(driver), 201);
  });

  app.patch('/api/v1/drivers/:id', async (c) => {
    const existing = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'drivers');
    const changes = await readJson(c, updateBody);
    if (Object.keys(changes).length > 0) await db.updateTable('drivers').set(changes).where('id', '=', existing.id).execute();
    return c.json(present(await find(c.var.principal, existing.id)));
  });

  app.delete('/api/v1/drivers/:id', async (c) => {
    const existing = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'drivers');
    await db.deleteFrom('drivers').where('id', '=', existing.id).execute();
    return c.body(null, 204);
  });
}

export const driverDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/drivers', summary: 'List drivers with licence status', tag: 'Drivers', auth: 'bearer', query: listQuery, responses: { 200: 'A page of drivers' } },
  { method: 'post', path: '/api/v1/drivers', summary: 'Create a driver', tag: 'Drivers', auth: 'bearer', body: createBody, responses: { 201: 'Created', 400: 'Invalid input' } },
  { method: 'get', path: '/api/v1/drivers/:id', summary: 'Get a driver', tag: 'Drivers', auth: 'bearer', responses: { 200: 'The driver', 404: 'Not found in your fleet' } },
  { method: 'patch', path: '/api/v1/drivers/:id', summary: 'Update a driver', tag: 'Drivers', auth: 'bearer', body: updateBody, responses: { 200: 'Updated', 404: 'Not found' } },
  { method: 'delete', path: '/api/v1/drivers/:id', summary: 'Delete a driver', tag: 'Drivers', auth: 'bearer', responses: { 204: 'Deleted', 404: 'Not found' } },
];
