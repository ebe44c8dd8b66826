/** /api/v1/trips?vehicle_id=&from=&to=: trips with distance, duration, speeds and incident count. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { driverInForce, tripDrivenBy, withDriverNames } from '../domain/driver-assignments.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const listQuery = pageQuery.extend({ ...timeRangeFields, vehicle_id: z.string().optional(), driver_id: z.string().optional() }).refine(rangeIsOrdered, RANGE_ERROR);
const COLUMNS = ['id', 'fleet_id', 'vehicle_id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count'] as const;

// The pipeline does not fill trips.driver_id (yet): a trip without one shows the driver assigned to its vehicle when it
// started, resolved at read time so a later reassignment never changes what a past trip shows.
const tripDriver = driverInForce('trips.vehicle_id', 'trips.started_at', 'trips.driver_id');

export function registerTrips(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/trips');

  app.get('/api/v1/trips', async (c) => {
    authorize(c.var.principal, 'read', 'trips');
    const q = readQuery(c, listQuery);
    let query = scopedTo(db, c.var.principal, 'trips').select(COLUMNS).select(tripDriver.as('driver_id')).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    if (q.vehicle_id) query = query.where('vehicle_id', '=', q.vehicle_id);
    if (q.driver_id) query = query.where(tripDrivenBy(q.driver_id));
    if (q.from) query = query.where('started_at', '>=', new Date(q.from));
    if (q.to) query = query.where('started_at', '<=', new Date(q.to));
    const result = page((await query.execute()).map(jsonRow), q.limit);
    return c.json({ ...result, data: await withDriverNames(db, result.data) });
  });

  app.get('/api/v1/trips/:id', async (c) => {
    const id = c.req.param('id');
    const trip = await scopedTo(db, c.var.principal, 'trips').select(COLUMNS).select(tripDriver.as('driver_id')).where('id', '=', id).executeTakeFirst();
    if (!trip) throw notFound('trip', id);
    authorize(c.var.principal, 'read', 'trips');
    return c.json((await withDriverNames(db, [jsonRow(trip)]))[0]);
  });
}

export const tripDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/trips', summary: 'List trips by vehicle, driver and time; driver_id/driver_name are the stored driver or else the one assigned to the vehicle when the trip started', tag: 'Telemetry', auth: 'bearer', query: listQuery, responses: { 200: 'A page of trips' } },
  { method: 'get', path: '/api/v1/trips/:id', summary: 'Get a trip', tag: 'Telemetry', auth: 'bearer', responses: { 200: 'The trip', 404: 'Not found' } },
];
