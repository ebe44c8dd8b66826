/**
 * /api/v1/osmand: the OsmAnd / Traccar Client protocol, so any phone with Traccar Client is a tracker. Point the
 * app's server URL here and set its device identifier to the device key. GET with a query, POST with a query and
 * an empty body (legacy apps), POST a form, or POST JSON (also when labelled as a form). The fix then goes through
 * the same pipeline as device protocol v1. Any 2xx tells the app the fix is stored.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { authenticateDevice } from '../domain/devices/device-auth.ts';
import { ingestFixes } from '../domain/ingest/fix-pipeline.ts';
import { parseOsmandJson, parseOsmandParams, type OsmandReport } from '../domain/ingest/osmand-input.ts';
import { AppError } from '../errors.ts';
import { rejectControlCharacters } from '../domain/control-characters.ts';
import { jsonBodyLimit } from '../middleware/json-body-limit.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { backgroundWork } from './route-helpers.ts';

export const OSMAND_PATH = '/api/v1/osmand';

async function readReport(c: Context<AppEnv>, now: number): Promise<OsmandReport> {
  const query = c.req.query();
  const text = c.req.method === 'POST' ? (await c.req.text()).trim() : '';
  if (text.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new AppError('bad_request', 'the body starts like JSON but is not valid JSON', { cause: error });
    }
    rejectControlCharacters(body);
    const report = parseOsmandJson(body, now);
    return { ...report, key: report.key ?? query.id ?? query.deviceid ?? null };
  }
  // A form body and the query string carry the same fields; the body wins where both have one.
  const params = { ...query, ...Object.fromEntries(new URLSearchParams(text)) };
  rejectControlCharacters(params);
  return parseOsmandParams(params, now);
}

export function registerOsmand(app: Hono<AppEnv>, platform: Platform) {
  const deps = { db: platform.db.kysely, cache: platform.cache, clock: platform.clock };
  app.on(['GET', 'POST'], OSMAND_PATH, jsonBodyLimit(64 * 1024), async (c) => {
    const report = await readReport(c, platform.clock.now());
    if (!report.key) throw new AppError('unauthorized', 'set the device identifier (id) to the device key', { details: { reason: 'device_key_missing' } });
    const device = await authenticateDevice(deps, report.key);
    c.set('device', device);
    const result = await ingestFixes(platform, device, [report.fix], { background: backgroundWork(c, platform) });
    if (report.batteryPct !== null) await platform.db.kysely.updateTable('devices').set({ battery_pct: report.batteryPct }).where('id', '=', device.deviceId).execute();
    return c.json(result, 200);
  });
}

const osmandResponses = { 200: '{ stored, duplicates }', 400: 'No position, or an unreadable or out-of-window time', 401: 'Device key missing, unknown, revoked or expired' };

export const osmandDocs: RouteDoc[] = [
  {
    method: 'post',
    path: OSMAND_PATH,
    summary: 'OsmAnd / Traccar Client protocol: a form, JSON, or fields in the query with an empty body; id = device key, lat, lon, timestamp, speed in knots (m/s in JSON)',
    tag: 'Devices',
    auth: 'none',
    responses: osmandResponses,
  },
  { method: 'get', path: OSMAND_PATH, summary: 'OsmAnd protocol as a query string: id = device key, lat, lon, timestamp, speed in knots, bearing, altitude, accuracy, batt', tag: 'Devices', auth: 'none', responses: osmandResponses },
];
