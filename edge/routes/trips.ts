/** /api/v1/trips?vehicle_id=&driver_id=&from=&to=&order=: trips with distance, duration, speeds and incident count. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { withDriverNames } from '../domain/driver-assignments.ts';
import { TRIP_COLUMNS, tripDriver, tripsWhere } from '../domain/queries/trips-query.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const listQuery = pageQuery
  .extend({ ...timeRangeFields, vehicle_id: z.string().optional(), driver_id: z.string().optional(), order: z.enum(['asc', 'desc']).default('asc').describe('asc: oldest first (default); desc: newest first') })
  .refine(rangeIsOrdered, RANGE_ERROR);
const COLUMNS = TRIP_COLUMNS;

export function registerTrips(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/trips');

  app.get('/api/v1/trips', async (c) => {
    authorize(c.var.principal, 'read', 'trips');
    const q = readQuery(c, listQuery);
    const filter = { vehicleId: q.vehicle_id, driverId: q.driver_id, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    let query = tripsWhere(db, c.var.principal, filter).select(COLUMNS).select(tripDriver.as('driver_id')).orderBy('id', q.order).limit(q.limit + 1);
    const position = decodeCursor(q.cursor);
    if (position) query = query.where('id', q.order === 'asc' ? '>' : '<', position);
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
  { method: 'get', path: '/api/v1/trips', summary: 'List trips by vehicle, driver and start time, oldest first or newest first (order=desc); driver_id/driver_name are the stored driver or else the one assigned to the vehicle when the trip started', tag: 'Telemetry', auth: 'bearer', query: listQuery, responses: { 200: 'A page of trips' } },
  { method: 'get', path: '/api/v1/trips/:id', summary: 'Get a trip', tag: 'Telemetry', auth: 'bearer', responses: { 200: 'The trip', 404: 'Not found' } },
];
