/**
 * POST /api/v1/devices/heartbeat: a device reports firmware, battery, signal, uptime and how many items it has
 * queued; the platform records it with last_seen and publishes `device_status` to the live feed.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { requireDevice } from '../middleware/device-auth.ts';
import { jsonBodyLimit } from '../middleware/json-body-limit.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson } from './route-helpers.ts';

export const HEARTBEAT_PATH = '/api/v1/devices/heartbeat';

const heartbeatBody = z
  .object({
    firmware_version: z.string().trim().max(40).optional(),
    battery_pct: z.number().min(0).max(100).optional(),
    rssi: z.number().int().min(-150).max(0).optional(),
    uptime_s: z.number().int().min(0).optional(),
    queued_items: z.number().int().min(0).optional(),
  })
  .strict();

export function registerDeviceHeartbeat(app: Hono<AppEnv>, platform: Platform) {
  app.post(HEARTBEAT_PATH, requireDevice(platform), jsonBodyLimit(16 * 1024), async (c) => {
    const device = c.var.device;
    const beat = await readJson(c, heartbeatBody);
    const now = new Date(platform.clock.now());
    await platform.db.kysely
      .updateTable('devices')
      .set({
        last_seen_at: now,
        ...(beat.firmware_version !== undefined ? { firmware_version: beat.firmware_version } : {}),
        ...(beat.battery_pct !== undefined ? { battery_pct: Math.round(beat.battery_pct) } : {}),
        ...(beat.rssi !== undefined ? { rssi: beat.rssi } : {}),
      })
      .where('id', '=', device.deviceId)
      .execute();
    await platform.bus.publish(device.fleetId, 'device_status', { device_id: device.deviceId, vehicle_id: device.vehicleId, ...beat, last_seen_at: now.toISOString() });
    return c.json({ ok: true, server_time: now.toISOString() });
  });
}

export const deviceHeartbeatDocs: RouteDoc[] = [
  { method: 'post', path: HEARTBEAT_PATH, summary: 'Device heartbeat (device key)', tag: 'Devices', auth: 'bearer', body: heartbeatBody, responses: { 200: 'Recorded', 401: 'Unknown, revoked or expired key (details.reason)' } },
];
