/**
 * POST /api/v1/tracking/location: one fix (the seed's JSON) or `{ "fixes": [...] }` of up to 500, from a device.
 * The batch is accepted whole or rejected whole with per-item details; 202 says how many were stored and how
 * many were duplicates of fixes already stored; `routine_frame_interval_s` when the fleet's vision is over budget.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { fixInput, MAX_BATCH } from '../domain/ingest/fix-input.ts';
import { ingestFixes } from '../domain/ingest/fix-pipeline.ts';
import { AppError } from '../errors.ts';
import { requireDevice } from '../middleware/device-auth.ts';
import { backgroundWork, withRoutineInterval } from './route-helpers.ts';
import { jsonBodyLimit } from '../middleware/json-body-limit.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';

// 500 fixes with every field take about 100 KB; a megabyte leaves room for whitespace and extra fields.
export const TRACKING_MAX_BODY_BYTES = 1024 * 1024;
export const TRACKING_PATH = '/api/v1/tracking/location';

const batchBody = z.object({ fixes: z.array(fixInput).max(MAX_BATCH) });

export function registerTracking(app: Hono<AppEnv>, platform: Platform) {
  app.post(TRACKING_PATH, requireDevice(platform), jsonBodyLimit(TRACKING_MAX_BODY_BYTES), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (error) {
      throw new AppError('bad_request', 'request body must be JSON: one fix, or {"fixes": [...]}', { cause: error });
    }
    const items = body && typeof body === 'object' && Array.isArray((body as { fixes?: unknown }).fixes) ? (body as { fixes: unknown[] }).fixes : [body];
    const answer = await ingestFixes(platform, c.var.device, items, { background: backgroundWork(c, platform) });
    return c.json(await withRoutineInterval(platform, c.var.device.fleetId, answer), 202);
  });
}

export const trackingDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/tracking/location',
    summary: 'Ingest one GPS fix or a batch of up to 500 (device key)',
    tag: 'Devices',
    auth: 'bearer',
    body: z.union([fixInput, batchBody]),
    responses: { 202: '{ stored, duplicates } and, when some fixes were GPS jumps (implying over 250 km/h), implausible: how many were dropped (do not resend them); routine_frame_interval_s when the fleet is over its vision budget (send routine frames at most that often)', 400: 'Invalid fixes (details per item); nothing stored', 401: 'Device key refused', 403: 'vehicle_id is not this device’s vehicle', 413: 'More than 500 fixes, or a body over 1 MiB', 415: 'Not JSON (an image or form upload)' },
  },
];
