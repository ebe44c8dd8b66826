/**
 * /api/v1/devices: camera units and their keys. A key is shown once, at creation or rotation; after a rotation
 * the old key keeps working for a grace period so a unit in the field can pick up the new one. Each unit's
 * `camera_role` (cabin | road | dual) is set at provisioning and changed with PATCH.
 */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { DEVICE_KEY_LIFETIME_DAYS, generateDeviceKey } from '../domain/device-keys.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { forgetDeviceKeys } from '../domain/devices/device-auth.ts';
import { HEARTBEAT_PATH } from './device-heartbeat.ts';
import { createDevice } from '../domain/provisioning.ts';
import { cameraRoleSchema, setCameraRole } from '../domain/devices/camera-role.ts';
import { calibrationSummaries } from '../domain/vision/calibration-store.ts';
import { DEFAULT_VISION_RULES } from '../domain/vision/vision-rules.ts';
import { DEVICE_COLUMNS, devicesWhere } from '../domain/queries/devices-query.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';

export const KEY_ROTATION_GRACE_HOURS = 24;

const listQuery = pageQuery.extend({ vehicle_id: z.string().optional(), status: z.enum(['active', 'revoked']).optional(), camera_role: cameraRoleSchema.optional() });
const createBody = z.object({ vehicle_id: z.string().min(1), name: z.string().optional(), camera_role: cameraRoleSchema.optional() });
const updateBody = z.object({ camera_role: cameraRoleSchema });
const COLUMNS = DEVICE_COLUMNS;

export function registerDevices(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  // Devices authenticate their own heartbeat with their key (routes/device-heartbeat.ts).
  protectResource(app, platform, '/api/v1/devices', { except: [HEARTBEAT_PATH] });

  // How far each camera's self-calibration is (domain/vision/calibration.ts): ready, or frames collected of needed.
  const withCalibration = async <T extends { id: string; camera_role: string }>(rows: T[]) => {
    const known = await calibrationSummaries(db, rows.map((r) => r.id));
    return rows.map((r) => {
      const k = known.get(r.id);
      const calibration = r.camera_role === 'road' ? null : { status: k?.status ?? 'calibrating', samples: k?.status === 'ready' ? null : (k?.samples ?? 0), needed: DEFAULT_VISION_RULES.calibrationFrames, learned_at: k?.learned_at ?? null };
      return { ...r, calibration };
    });
  };

  const find = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const row = await scopedTo(db, principal, 'devices').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('device', id);
    return row;
  };

  app.get('/api/v1/devices', async (c) => {
    authorize(c.var.principal, 'read', 'devices');
    const q = readQuery(c, listQuery);
    let query = devicesWhere(db, c.var.principal, { vehicleId: q.vehicle_id, status: q.status, cameraRole: q.camera_role }).select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return c.json(page(await withCalibration((await query.execute()).map(jsonRow)), q.limit));
  });

  app.get('/api/v1/devices/:id', async (c) => {
    const row = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'devices');
    return c.json((await withCalibration([jsonRow(row)]))[0]);
  });

  app.post('/api/v1/devices', async (c) => {
    authorize(c.var.principal, 'write', 'devices');
    const body = await readJson(c, createBody);
    // The vehicle must be visible to the caller: another fleet's vehicle is "not found".
    const vehicle = await scopedTo(db, c.var.principal, 'vehicles').select('id').where('id', '=', body.vehicle_id).executeTakeFirst();
    if (!vehicle) throw notFound('vehicle', body.vehicle_id);
    const device = await createDevice(deps, { vehicleId: vehicle.id, name: body.name, cameraRole: body.camera_role });
    await audit(deps, { event: 'device_key_created', userId: c.var.principal.userId, fleetId: device.fleet_id, ip: clientIp(c), details: { deviceId: device.id, cameraRole: device.camera_role } });
    return c.json(device, 201);
  });

  app.patch('/api/v1/devices/:id', async (c) => {
    const device = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'devices');
    const body = await readJson(c, updateBody);
    if (device.camera_role !== body.camera_role) {
      if (!(await setCameraRole(deps, device.id, body.camera_role))) throw notFound('device', device.id);
      await audit(deps, { event: 'device_camera_role_changed', userId: c.var.principal.userId, fleetId: device.fleet_id, ip: clientIp(c), details: { deviceId: device.id, from: device.camera_role, to: body.camera_role } });
    }
    return c.json((await withCalibration([jsonRow(await find(c.var.principal, device.id))]))[0]);
  });

  app.post('/api/v1/devices/:id/rotate', async (c) => {
    const device = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'devices');
    if (device.status === 'revoked') throw new AppError('conflict', 'a revoked device cannot get a new key; create a new device');
    const current = await db.selectFrom('devices').select(['key_hash', 'previous_key_hash']).where('id', '=', device.id).executeTakeFirstOrThrow();
    const { key, prefix, hash } = await generateDeviceKey();
    const now = platform.clock.now();
    await db
      .updateTable('devices')
      .set({
        key_hash: hash,
        key_prefix: prefix,
        key_expires_at: new Date(now + DEVICE_KEY_LIFETIME_DAYS * 86_400_000),
        previous_key_hash: current.key_hash,
        previous_key_valid_until: new Date(now + KEY_ROTATION_GRACE_HOURS * 3_600_000),
        // A key being handed over through the protocol is superseded by this one.
        next_key_hash: null,
        next_key_prefix: null,
        next_key_salt: null,
        next_key_expires_at: null,
      })
      .where('id', '=', device.id)
      .execute();
    // The old key's cached entry says "current key until expiry"; drop it so the grace period applies at once.
    await forgetDeviceKeys(platform.cache, [current.key_hash, current.previous_key_hash]);
    await audit(deps, { event: 'device_key_rotated', userId: c.var.principal.userId, fleetId: device.fleet_id, ip: clientIp(c), details: { deviceId: device.id } });
    return c.json({ ...jsonRow(await find(c.var.principal, device.id)), key });
  });

  app.post('/api/v1/devices/:id/revoke', async (c) => {
    const device = await find(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'devices');
    const keys = await db.selectFrom('devices').select(['key_hash', 'previous_key_hash']).where('id', '=', device.id).executeTakeFirstOrThrow();
    await db.updateTable('devices').set({ status: 'revoked', previous_key_hash: null, previous_key_valid_until: null, next_key_hash: null, next_key_prefix: null, next_key_salt: null, next_key_expires_at: null }).where('id', '=', device.id).execute();
    await forgetDeviceKeys(platform.cache, [keys.key_hash, keys.previous_key_hash]);
    await audit(deps, { event: 'device_key_revoked', userId: c.var.principal.userId, fleetId: device.fleet_id, ip: clientIp(c), details: { deviceId: device.id } });
    return c.json(jsonRow(await find(c.var.principal, device.id)));
  });
}

export const deviceDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/devices', summary: 'List devices', tag: 'Devices', auth: 'bearer', query: listQuery, responses: { 200: 'A page of devices' } },
  { method: 'post', path: '/api/v1/devices', summary: 'Provision a device (the key is shown once); camera_role cabin (default) | road | dual', tag: 'Devices', auth: 'bearer', body: createBody, responses: { 201: 'Created, with its key', 404: 'Vehicle not found' } },
  { method: 'get', path: '/api/v1/devices/:id', summary: 'Get a device', tag: 'Devices', auth: 'bearer', responses: { 200: 'The device', 404: 'Not found in your fleet' } },
  { method: 'patch', path: '/api/v1/devices/:id', summary: 'Change the camera role (cabin | road | dual); a new role starts a new calibration', tag: 'Devices', auth: 'bearer', body: updateBody, responses: { 200: 'The device', 400: 'Unknown camera_role', 404: 'Not found in your fleet' } },
  { method: 'post', path: '/api/v1/devices/:id/rotate', summary: 'Rotate the key (old key valid 24 h)', tag: 'Devices', auth: 'bearer', responses: { 200: 'The device, with its new key', 409: 'Device revoked' } },
  { method: 'post', path: '/api/v1/devices/:id/revoke', summary: 'Revoke the device', tag: 'Devices', auth: 'bearer', responses: { 200: 'The revoked device' } },
];
