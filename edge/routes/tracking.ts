/**
 * POST /api/v1/tracking/location: one fix (the seed's JSON) or `{ "fixes": [...] }` of up to 500, from a device.
 * The batch is accepted whole or rejected whole with per-item details; 202 says how many were stored and how
 * many were duplicates of fixes already stored.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { checkFixes, fixInput, MAX_BATCH } from '../domain/ingest/fix-input.ts';
import { storeFixes } from '../domain/ingest/store-fixes.ts';
import { AppError } from '../errors.ts';
import { requireDevice } from '../middleware/device-auth.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';

const batchBody = z.object({ fixes: z.array(fixInput).max(MAX_BATCH) });

export function registerTracking(app: Hono<AppEnv>, platform: Platform) {
  app.post('/api/v1/tracking/location', requireDevice(platform), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (error) {
      throw new AppError('bad_request', 'request body must be JSON: one fix, or {"fixes": [...]}', { cause: error });
    }
    const items = body && typeof body === 'object' && Array.isArray((body as { fixes?: unknown }).fixes) ? (body as { fixes: unknown[] }).fixes : [body];
    if (items.length === 0) throw new AppError('validation_failed', 'the batch is empty', { details: [{ index: null, path: 'fixes', message: 'send at least one fix' }] });
    if (items.length > MAX_BATCH) throw new AppError('payload_too_large', `a batch holds at most ${MAX_BATCH} fixes; split it`);
    const { fixes, problems } = checkFixes(items, platform.clock.now());
    if (problems.length > 0) throw new AppError('validation_failed', `${new Set(problems.map((p) => p.index)).size} of ${items.length} fixes are invalid; nothing was stored`, { details: problems });
    const device = c.var.device;
    const foreign = fixes.findIndex((f) => f.vehicle_id !== undefined && f.vehicle_id !== device.vehicleId);
    if (foreign !== -1) throw new AppError('forbidden', `fix ${foreign} names vehicle ${fixes[foreign].vehicle_id}, but this device belongs to another vehicle`);
    return c.json(await storeFixes(platform, device, fixes), 202);
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
    responses: { 202: '{ stored, duplicates }', 400: 'Invalid fixes (details per item); nothing stored', 401: 'Device key refused', 403: 'vehicle_id is not this device’s vehicle', 413: 'More than 500 fixes' },
  },
];
