/**
 * GET /api/v1/frames/usage: what looking at frames cost, per UTC day — frames analysed, cloud model calls, tokens and
 * estimated US dollars (edge/adapters/analyser/model-prices.ts) — with totals. Owners and viewers see their fleet; admins a
 * fleet (fleet_id) or every fleet, one row per fleet and day.
 */
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { authorize, notFound } from '../domain/tenancy.ts';
import { isCalendarDate } from '../domain/validation.ts';
import { AppError } from '../errors.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readQuery } from './route-helpers.ts';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const date = z.string().refine(isCalendarDate, { message: 'expected a date as YYYY-MM-DD' });
const usageQuery = z
  .object({
    from: date.optional().describe('First UTC day (default: 29 days before `to`)'),
    to: date.optional().describe('Last UTC day, included (default: today)'),
    fleet_id: z.string().min(1).max(100).optional().describe('Admins: one fleet (default: every fleet)'),
  })
  .strict();

const COUNTERS = ['frames', 'model_calls', 'input_tokens', 'output_tokens', 'cost_usd'] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

/** Registered by registerFrames before GET /api/v1/frames/:id, which would otherwise take "usage" for an id. */
export function registerVisionUsage(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;

  app.get('/api/v1/frames/usage', async (c) => {
    const principal = c.var.principal;
    authorize(principal, 'read', 'frames');
    const q = readQuery(c, usageQuery);
    const to = q.to ?? new Date(platform.clock.now()).toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
    if (from > to) throw new AppError('validation_failed', 'from must not be after to', { details: [{ path: 'from', message: 'after to' }] });
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) throw new AppError('validation_failed', `at most ${MAX_DAYS} days at a time`, { details: [{ path: 'from', message: `more than ${MAX_DAYS} days before to` }] });

    let fleetId: string | null;
    if (principal.fleetId === null) {
      // Platform admins (the only principals without a fleet): one fleet, or all of them.
      fleetId = q.fleet_id ?? null;
      if (fleetId && !(await db.selectFrom('fleets').select('id').where('id', '=', fleetId).executeTakeFirst())) throw notFound('fleet', fleetId);
    } else {
      fleetId = principal.fleetId;
      if (q.fleet_id && q.fleet_id !== fleetId) throw notFound('fleet', q.fleet_id); // another tenant's is not there
    }

    let query = db
      .selectFrom('vision_usage_daily')
      .select(['fleet_id', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), ...COUNTERS])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .orderBy('day')
      .orderBy('fleet_id');
    if (fleetId) query = query.where('fleet_id', '=', fleetId);
    // bigint columns arrive as strings from some drivers: numbers here, once.
    const days = (await query.execute()).map((row) => ({ day: row.day, fleet_id: row.fleet_id, ...counters(row) }));
    const totals = Object.fromEntries(COUNTERS.map((k) => [k, days.reduce((sum, d) => sum + d[k], 0)])) as Counters;
    totals.cost_usd = Math.round(totals.cost_usd * 1e6) / 1e6;
    return c.json({ fleet_id: fleetId, from, to, days, totals });
  });
}

function counters(row: Record<(typeof COUNTERS)[number], unknown>): Counters {
  return Object.fromEntries(COUNTERS.map((k) => [k, Number(row[k])])) as Counters;
}

export const visionUsageDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/frames/usage',
    summary: 'Vision analysis usage per UTC day: frames, model calls, tokens, estimated cost (USD), with totals',
    tag: 'Evidence',
    auth: 'bearer',
    query: usageQuery,
    responses: { 200: '{ fleet_id, from, to, days: [{ day, fleet_id, frames, model_calls, input_tokens, output_tokens, cost_usd }], totals }', 400: 'Invalid dates or range', 404: 'Fleet not found' },
  },
];
