/** GET /api/v1/vehicles/{id}/fixes?from=&to=: a taxi's GPS track in device-time order. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { decodeCursor, page, pageQuery } from '../domain/pagination.ts';
import { authorize, notFound, scopedTo } from '../domain/tenancy.ts';
import { requireUser } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { jsonRow, readQuery } from './route-helpers.ts';
import { RANGE_ERROR, rangeIsOrdered, timeRangeFields } from './time-range.ts';

const fixQuery = pageQuery.extend({ ...timeRangeFields, limit: z.coerce.number().int().min(1).max(5000).default(500) }).refine(rangeIsOrdered, RANGE_ERROR);
const COLUMNS = ['device_time', 'received_at', 'latitude', 'longitude', 'speed_kmh', 'heading', 'accuracy_m', 'altitude_m'] as const;

export function registerFixes(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  app.use('/api/v1/vehicles/:id/fixes', requireUser(platform));

  app.get('/api/v1/vehicles/:id/fixes', async (c) => {
    const vehicleId = c.req.param('id');
    const vehicle = await scopedTo(db, c.var.principal, 'vehicles').select('id').where('id', '=', vehicleId).executeTakeFirst();
    if (!vehicle) throw notFound('vehicle', vehicleId);
    authorize(c.var.principal, 'read', 'fixes');
    const q = readQuery(c, fixQuery);
    let query = db.selectFrom('gps_fixes').select(COLUMNS).where('vehicle_id', '=', vehicle.id).orderBy('device_time').limit(q.limit + 1);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('device_time', '>', new Date(after));
    if (q.from) query = query.where('device_time', '>=', new Date(q.from));
    if (q.to) query = query.where('device_time', '<=', new Date(q.to));
    const rows = (await query.execute()).map(jsonRow);
    return c.json(page(rows, q.limit, (row) => row.device_time));
  });
}

export const fixDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/vehicles/:id/fixes', summary: "A vehicle's GPS fixes in a time range", tag: 'Telemetry', auth: 'bearer', query: fixQuery, responses: { 200: 'A page of fixes in device-time order', 404: 'Vehicle not found' } },
];
