/** /api/v1/trips?vehicle_id=&from=&to=: trips with distance, duration, speeds and incident count. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const listQuery = pageQuery.extend({ ...timeRangeFields, vehicle_id: z.string().optional(), driver_id: z.string().optional() }).refine(rangeIsOrdered, RANGE_ERROR);
const COLUMNS = ['id', 'fleet_id', 'vehicle_id', 'driver_id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count'] as const;

export function registerTrips(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/trips');

  app.get('/api/v1/trips', async (c) => {
    authorize(c.var.principal, 'read', 'trips');
    const q = readQuery(c, listQuery);
    let query = scopedTo(db, c.var.principal, 'trips').select(COLUMNS).orderBy('id').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    if (q.vehicle_id) query = query.where('vehicle_id', '=', q.vehicle_id);
    if (q.driver_id) query = query.where('driver_id', '=', q.driver_id);
    if (q.from) query = query.where('started_at', '>=', new Date(q.from));
    if (q.to) query = query.where('started_at', '<=', new Date(q.to));
    return c.json(page((await query.execute()).map(jsonRow), q.limit));
  });

  app.get('/api/v1/trips/:id', async (c) => {
    const id = c.req.param('id');
    const trip = await scopedTo(db, c.var.principal, 'trips').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!trip) throw notFound('trip', id);
    authorize(c.var.principal, 'read', 'trips');
    return c.json(jsonRow(trip));
  });
}

export const tripDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/trips', summary: 'List trips by vehicle, driver and time', tag: 'Telemetry', auth: 'bearer', query: listQuery, responses: { 200: 'A page of trips' } },
  { method: 'get', path: '/api/v1/trips/:id', summary: 'Get a trip', tag: 'Telemetry', auth: 'bearer', responses: { 200: 'The trip', 404: 'Not found' } },
];
