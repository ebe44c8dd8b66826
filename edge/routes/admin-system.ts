/**
 * GET /api/v1/admin/system: the admin console's system health in one JSON answer — components (as /api/v1/health
 * sees them), ingest rate, queue depth and dead letters, live viewers, API latency percentiles, vision lag and
 * analysed share per fleet, memory and how busy the event loop is.
 * Rates, viewers, latency, memory and event-loop load are those of the instance that answers (like /metrics); the
 * components and the queue are shared by every instance.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { metricsFor, QUEUE_STATS_TTL_MS } from '../observability/app-metrics.ts';
import { VISION_STATS_WINDOW_MINUTES } from '../domain/vision/vision-stats.ts';
import { processMemory } from '../observability/runtime-memory.ts';
import { eventLoopLoad } from '../observability/event-loop-load.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import { VERSION, type Platform } from '../platform.ts';
import { checkComponents } from './health.ts';
import { requirePlatformAdmin } from './metrics.ts';

const INGEST_WINDOW_SECONDS = 60;
const LATENCY_WINDOW_SECONDS = 300;

const milliseconds = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 10_000) / 10);

export function registerAdminSystem(app: Hono<AppEnv>, platform: Platform) {
  app.get('/api/v1/admin/system', requireUser(platform), requirePlatformAdmin(), async (c) => {
    const metrics = metricsFor(platform);
    const [{ components, failing }, queue, retention, vision] = await Promise.all([
      checkComponents(platform),
      metrics.queueStats(platform).then(
        (stats) => ({ adapter: platform.queue.adapter, ...stats, error: null }),
        (error: unknown) => ({ adapter: platform.queue.adapter, queued: null, running: null, dead: null, error: error instanceof Error ? error.message : String(error) }),
      ),
      metrics.retentionStats(platform).catch(() => null),
      metrics.visionStats(platform).catch(() => null),
    ]);
    const latency = metrics.recentLatency.quantiles([0.5, 0.95, 0.99]);
    c.header('Cache-Control', 'no-store');
    return c.json({
      status: failing.length === 0 ? 'ok' : 'down',
      version: VERSION,
      runtime: platform.runtime,
      at: new Date(platform.clock.now()).toISOString(),
      failing,
      components,
      ingest: {
        window_seconds: INGEST_WINDOW_SECONDS,
        fixes: metrics.recentFixes.total(),
        fixes_per_second: Math.round(metrics.recentFixes.perSecond() * 1000) / 1000,
      },
      queue: { ...queue, cached_for_ms: QUEUE_STATS_TTL_MS },
      dead_letters: queue.dead,
      live_viewers: metrics.liveViewers.get(),
      // What the nightly retention deleted, per kind (null when the database could not say).
      retention,
      // Per fleet, the frames received in the last VISION_STATS_WINDOW_MINUTES: analysed share, skips, lag (null when unreadable).
      vision: vision && { window_minutes: VISION_STATS_WINDOW_MINUTES, fleets: vision },
      api_latency: {
        window_seconds: LATENCY_WINDOW_SECONDS,
        requests: latency.count,
        // Requests to /api/…; each percentile estimated within the histogram bucket that holds it (LATENCY_BUCKETS).
        estimate: 'histogram',
        p50_ms: milliseconds(latency.values[0]),
        p95_ms: milliseconds(latency.values[1]),
        p99_ms: milliseconds(latency.values[2]),
      },
      memory: processMemory(),
      // Share of the last window this instance's event loop was busy (null where the runtime cannot say).
      event_loop: eventLoop(),
    });
  });
}

function eventLoop() {
  const load = eventLoopLoad();
  const utilization = load.utilization();
  return utilization === null ? null : { window_seconds: load.windowSeconds, utilization };
}

export const adminSystemDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/admin/system',
    summary: 'System health for the admin console: components, ingest rate, queue and dead letters, live viewers, API latency percentiles, retention deletions, vision lag and analysed share per fleet, memory and event-loop load (platform admins)',
    tag: 'Operations',
    auth: 'bearer',
    responses: { 200: 'System figures (rates, viewers, latency, memory and event-loop load of the answering instance)', 401: 'Not authenticated', 403: 'Not a platform admin' },
  },
];
