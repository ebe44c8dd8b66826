/**
 * GET /api/v1/frames/usage: what looking at frames cost, per UTC day — frames analysed, cloud model calls, tokens and
 * estimated US dollars (edge/adapters/analyser/model-prices.ts) — with totals. Owners and viewers see their fleet; admins a
 * fleet (fleet_id) or every fleet, one row per fleet and day.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { authorize } from '../domain/tenancy.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { answerUsage, usageQuery } from './daily-usage-route.ts';

/** Registered by registerFrames before GET /api/v1/frames/:id, which would otherwise take "usage" for an id. */
export function registerVisionUsage(app: Hono<AppEnv>, platform: Platform) {
  app.get('/api/v1/frames/usage', async (c) => {
    authorize(c.var.principal, 'read', 'frames');
    return answerUsage(c, platform, 'vision_usage_daily');
  });
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
