/**
 * Who drives a taxi: PUT /api/v1/vehicles/{id}/driver assigns (or, with null, unassigns) and
 * GET /api/v1/vehicles/{id}/drivers lists the vehicle's assignments over time.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../domain/auth/audit.ts';
import { announceDriverChange } from '../domain/announce-driver-change.ts';
import { assignDriver, assignmentHistory } from '../domain/driver-assignments.ts';
import { licenceStatus } from '../domain/licence-status.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readJson, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const assignBody = z.object({ driver_id: z.string().min(1).max(100).nullable() }).strict();
const historyQuery = pageQuery.extend(timeRangeFields).refine(rangeIsOrdered, RANGE_ERROR);

/** Registered by registerVehicles, inside its authentication guard. */
export function registerVehicleDrivers(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };

  const findVehicle = async (principal: AppEnv['Variables']['principal'], id: string) => {
    const vehicle = await scopedTo(db, principal, 'vehicles').select(['id', 'fleet_id']).where('id', '=', id).executeTakeFirst();
    if (!vehicle) throw notFound('vehicle', id);
    return vehicle;
  };

  app.put('/api/v1/vehicles/:id/driver', async (c) => {
    const vehicle = await findVehicle(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'write', 'vehicles');
    const body = await readJson(c, assignBody);
    const warnings: string[] = [];
    if (body.driver_id !== null) {
      // Only a driver of the vehicle's own fleet: an admin cannot put fleet B's driver in fleet A's taxi either.
      const driver = await db.selectFrom('drivers').select(['id', 'licence_expires_on']).where('id', '=', body.driver_id).where('fleet_id', '=', vehicle.fleet_id).executeTakeFirst();
      if (!driver) throw notFound('driver', body.driver_id);
      // An expired licence is the owner's call (a renewal may be on its way): allowed, but said out loud.
      const today = new Date(platform.clock.now()).toISOString().slice(0, 10);
      if (licenceStatus(driver.licence_expires_on, today) === 'expired') warnings.push('licence_expired');
    }
    const result = await assignDriver(deps, { fleetId: vehicle.fleet_id, vehicleId: vehicle.id, driverId: body.driver_id, assignedBy: c.var.principal.userId });
    if (result.changed) {
      await audit(deps, {
        event: body.driver_id ? 'vehicle_driver_assigned' : 'vehicle_driver_unassigned',
        userId: c.var.principal.userId,
        fleetId: vehicle.fleet_id,
        ip: clientIp(c),
        details: { vehicleId: vehicle.id, driverId: body.driver_id, apiKeyId: c.var.principal.apiKey?.id ?? null },
      });
    }
    // The change is committed: a bus or webhook hiccup must not turn it into an error the caller would retry.
    await announceDriverChange(platform, vehicle.fleet_id, vehicle.id, result).catch((error) => platform.log.warn('announcing a driver change failed', { vehicleId: vehicle.id, error: String(error) }));
    return c.json({ vehicle_id: vehicle.id, driver: result.driver, changed: result.changed, warnings });
  });

  app.get('/api/v1/vehicles/:id/drivers', async (c) => {
    const vehicle = await findVehicle(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'vehicles');
    const q = readQuery(c, historyQuery);
    const rows = await assignmentHistory(db, vehicle.id, { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, before: decodeCursor(q.cursor), limit: q.limit });
    return c.json(page(rows.map(jsonRow), q.limit));
  });
}

export const vehicleDriverDocs: RouteDoc[] = [
  {
    method: 'put',
    path: '/api/v1/vehicles/:id/driver',
    summary: "Assign a driver of the fleet to the vehicle (ending the vehicle's current assignment and the driver's current one elsewhere), or end the assignment with driver_id null; warnings lists licence_expired when the licence has expired (still assigned)",
    tag: 'Vehicles',
    auth: 'bearer',
    body: assignBody,
    responses: { 200: '{vehicle_id, driver: {id, name, since} | null, changed, warnings}', 400: 'Invalid input', 403: 'Read-only caller', 404: 'Vehicle or driver not found in your fleet', 409: 'A concurrent assignment won; retry' },
  },
  { method: 'get', path: '/api/v1/vehicles/:id/drivers', summary: "The vehicle's driver assignments overlapping from..to, newest first (ended_at null = current)", tag: 'Vehicles', auth: 'bearer', query: historyQuery, responses: { 200: 'A page of assignments', 400: 'Invalid range', 404: 'Not found' } },
];
