/** POST /api/v1/vehicles/{id}/camera: flag a taxi's camera as misaligned (or aligned again), with who, when and why. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { setCameraAlignment } from '../domain/review/camera-alignment.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readJson } from './route-helpers.ts';

const cameraBody = z.object({ misaligned: z.boolean(), note: z.string().trim().max(500).optional() }).strict();

/** Registered by registerVehicles, inside its authentication guard. */
export function registerVehicleCamera(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };

  app.post('/api/v1/vehicles/:id/camera', async (c) => {
    const id = c.req.param('id');
    const vehicle = await scopedTo(db, c.var.principal, 'vehicles').select(['id', 'fleet_id']).where('id', '=', id).executeTakeFirst();
    if (!vehicle) throw notFound('vehicle', id);
    authorize(c.var.principal, 'write', 'vehicles');
    const body = await readJson(c, cameraBody);
    // The flag and its audit entry land together or not at all.
    const camera = await db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      const state = await setCameraAlignment(tx, { vehicleId: vehicle.id, misaligned: body.misaligned, note: body.note || null, changedBy: c.var.principal.userId });
      await audit(tx, { event: 'vehicle_camera_flagged', userId: c.var.principal.userId, fleetId: vehicle.fleet_id, ip: clientIp(c), details: { vehicleId: vehicle.id, misaligned: state.misaligned } });
      return state;
    });
    return c.json({ vehicle_id: vehicle.id, camera });
  });
}

export const vehicleCameraDocs: RouteDoc[] = [
  { method: 'post', path: '/api/v1/vehicles/:id/camera', summary: "Flag a vehicle's camera as misaligned, or clear the flag (shown on the vehicle as camera)", tag: 'Vehicles', auth: 'bearer', body: cameraBody, responses: { 200: 'The camera state', 400: 'Invalid input', 403: 'Read-only caller', 404: 'Not found' } },
];
