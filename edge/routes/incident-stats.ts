/** GET /api/v1/incidents/stats: false-positive rates per type and per vehicle, for the caller's fleet (admins: any). */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { falsePositiveStats } from '../domain/review/false-positive-stats.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const statsQuery = z
  .object({ ...timeRangeFields, vehicle_id: z.string().min(1).max(100).optional(), fleet_id: z.string().min(1).max(100).optional() })
  .strict()
  .refine(rangeIsOrdered, RANGE_ERROR);

/** Registered by registerIncidents before GET /api/v1/incidents/:id, which would otherwise take "stats" for an id. */
export function registerIncidentStats(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;

  app.get('/api/v1/incidents/stats', async (c) => {
    const principal = c.var.principal;
    authorize(principal, 'read', 'incidents');
    const q = readQuery(c, statsQuery);
    let fleetId = principal.fleetId;
    if (principal.role === 'admin') {
      fleetId = q.fleet_id ?? null;
      if (fleetId && !(await db.selectFrom('fleets').select('id').where('id', '=', fleetId).executeTakeFirst())) throw notFound('fleet', fleetId);
    }
    // Another tenant's fleet is simply not there, as everywhere else.
    else if (q.fleet_id && q.fleet_id !== principal.fleetId) throw notFound('fleet', q.fleet_id);
    if (q.vehicle_id) {
      const vehicle = await scopedTo(db, principal, 'vehicles').select('fleet_id').where('id', '=', q.vehicle_id).executeTakeFirst();
      if (!vehicle || (fleetId !== null && vehicle.fleet_id !== fleetId)) throw notFound('vehicle', q.vehicle_id);
    }
    const stats = await falsePositiveStats(db, { fleetId, vehicleId: q.vehicle_id, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    return c.json({ fleet_id: fleetId, vehicle_id: q.vehicle_id ?? null, from: q.from ?? null, to: q.to ?? null, ...stats });
  });
}

export const incidentStatsDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/incidents/stats', summary: 'False-positive rates (of reviewed incidents) per type and per vehicle', tag: 'Incidents', auth: 'bearer', query: statsQuery, responses: { 200: 'Counts and rates', 400: 'Invalid filter', 404: 'Vehicle or fleet not found' } },
];
