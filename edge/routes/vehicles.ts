/** /api/v1/vehicles: the fleet's taxis. */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { AppError } from '../errors.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { vehiclesWhere, withLive } from '../domain/queries/vehicles-query.ts';
import { forgetDeviceKeys } from '../domain/devices/device-auth.ts';
import { createVehicle } from '../domain/provisioning.ts';
import { CAMERA_COLUMNS, cameraState } from '../domain/review/camera-alignment.ts';
import { authorize, notFound, scopedTo, targetFleet } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';
import { registerVehicleCamera, vehicleCameraDocs } from './vehicle-camera.ts';
import { registerVehicleDrivers, vehicleDriverDocs } from './vehicle-drivers.ts';

const STATUS = z.enum(['active', 'maintenance', 'inactive']);
const listQuery = pageQuery.extend({ status: STATUS.optional(), fleet_id: z.string().optional() });
const createBody = z.object({ plate: z.string(), fleet_id: z.string().optional() });
const updateBody = z.object({ plate: z.string().trim().min(1).max(20).transform((p) => p.toUpperCase()).optional(), status: STATUS.optional() }).strict();
const COLUMNS = ['id', 'fleet_id', 'plate', 'status', 'created_at', ...CAMERA_COLUMNS] as const;

type VehicleRow = { id: string; camera_misaligned: boolean; camera_changed_at: Date | null; camera_changed_by: string | null; camera_note: string | null } & Record<string, unknown>;

export function registerVehicles(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  protectResource(app, platform, '/api/v1/vehicles');
  registerVehicleCamera(app, platform);
  registerVehicleDrivers(app, platform);

  // The camera columns read as one object: whether a reviewer flagged it as misaligned, since when and why.
  const present = (row: VehicleRow) => {
    const { camera_misaligned, camera_changed_at, camera_changed_by, camera_note, ...vehicle } = row;
    return { ...jsonRow(vehicle), camera: cameraState({ camera_misaligned, camera_changed_at, camera_changed_by, camera_note }) };
  };

  // What the live map starts from before SSE updates arrive: moving/stopped/offline, the latest cached position and
  // who is driving it now.
  const withLiveState = async (rows: VehicleRow[]) => (await withLive(db, platform.cache, rows)).map(({ driver, live, ...row }) => ({ ...present(row as VehicleRow), driver, live }));

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'vehicles').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('vehicle', id);
    return row;
  };

  app.get('/api/v1/vehicles', async (c) => {
    authorize(c.var.principal, 'read', 'vehicles');
    const q = readQuery(c, listQuery);
    let query = vehiclesWhere(db, c.var.principal, { status: q.status }).select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    if (q.fleet_id) query = query.where('fleet_id', '=', q.fleet_id);
    const result = page(await query.execute(), q.limit);
    return c.json({ ...result, data: await withLiveState(result.data) });
  });

  app.get('/api/v1/vehicles/:id', async (c) => {
    const row = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'vehicles');
    return c.json((await withLiveState([row]))[0]);
  });

  app.post('/api/v1/vehicles', async (c) => {
    authorize(c.var.principal, 'write', 'vehicles');
    const body = await readJson(c, createBody);
    const vehicle = await createVehicle(deps, { fleetId: targetFleet(c.var.principal, body.fleet_id), plate: body.plate });
    return c.json(vehicle, 201);
  });

  app.patch('/api/v1/vehicles/:id', async (c) => {
    const existing = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'vehicles');
    const changes = await readJson(c, updateBody);
    try {
      if (Object.keys(changes).length > 0) await db.updateTable('vehicles').set(changes).where('id', '=', existing.id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `plate ${changes.plate} already exists in this fleet`, { cause: error });
      throw error;
    }
    return c.json(present(await find(c.var.principal, existing.id)));
  });

  app.delete('/api/v1/vehicles/:id', async (c) => {
    const existing = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'vehicles');
    // The vehicle's devices go with it: their keys must stop working now, not when the key cache expires.
    const deleted = await db.transaction().execute(async (tx) => {
      const devices = await tx.deleteFrom('devices').where('vehicle_id', '=', existing.id).returning(['key_hash', 'previous_key_hash']).execute();
      await tx.deleteFrom('vehicles').where('id', '=', existing.id).execute();
      return devices;
    });
    await forgetDeviceKeys(platform.cache, deleted.flatMap((d) => [d.key_hash, d.previous_key_hash]));
    return c.body(null, 204);
  });
}

export const vehicleDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/vehicles', summary: 'List vehicles, each with its live status (moving, stopped, offline, unknown), latest position and current driver ({id, name, since} or null)', tag: 'Vehicles', auth: 'bearer', query: listQuery, responses: { 200: 'A page of vehicles', 401: 'Not authenticated' } },
  { method: 'post', path: '/api/v1/vehicles', summary: 'Create a vehicle', tag: 'Vehicles', auth: 'bearer', body: createBody, responses: { 201: 'Created', 400: 'Invalid input', 403: 'Read-only caller', 409: 'Plate already in the fleet' } },
  { method: 'get', path: '/api/v1/vehicles/:id', summary: 'Get a vehicle', tag: 'Vehicles', auth: 'bearer', responses: { 200: 'The vehicle', 404: 'Not found in your fleet' } },
  { method: 'patch', path: '/api/v1/vehicles/:id', summary: 'Change plate or status', tag: 'Vehicles', auth: 'bearer', body: updateBody, responses: { 200: 'Updated', 404: 'Not found', 409: 'Plate already in the fleet' } },
  { method: 'delete', path: '/api/v1/vehicles/:id', summary: 'Delete a vehicle', tag: 'Vehicles', auth: 'bearer', responses: { 204: 'Deleted', 404: 'Not found' } },
  ...vehicleCameraDocs,
  ...vehicleDriverDocs,
];
