/**
 * What TaxiWatch measures (the metric names are listed in docs/operate/health-and-metrics.md) and the calls the rest of
 * the app makes to record it. `metricsFor(platform)` is the platform's own set when it carries one (tests), else the
 * one set of this process or isolate — on Workers the platform is rebuilt per request, the isolate is not.
 */
import { VERSION, type Platform } from '../platform.ts';
import type { Clock } from '../ports/clock.ts';
import type { QueueStats } from '../ports/queue.ts';
import { createRegistry, type Counter, type Gauge, type Histogram, type Registry } from './metrics.ts';
import { createLatencyWindow, createRateWindow, type LatencyWindow, type RateWindow } from './recent-windows.ts';
import { processMemory } from './runtime-memory.ts';
import { eventLoopLoad } from './event-loop-load.ts';
import { retentionStats, type RetentionStats } from '../domain/retention/retention-stats.ts';
import { visionStats, type FleetVisionStats } from '../domain/vision/vision-stats.ts';

/** Seconds; finer around the 200 ms API target so p95 estimates near it are close. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10] as const;

/** How long a scrape reuses the queue's counts: scrapers and open consoles cannot turn into a stream of COUNT(*)s. */
export const QUEUE_STATS_TTL_MS = 5_000;
/** Retention figures change once a night: a minute's cache is plenty. */
export const RETENTION_STATS_TTL_MS = 60_000;
/** Vision lag and share move by the second, but a scrape every few seconds need not recount fifteen minutes of frames. */
export const VISION_STATS_TTL_MS = 10_000;

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected';
export type JobOutcome = 'succeeded' | 'failed';
/** What one analysis of a frame came to; a fixed set, so the label stays bounded. */
export type VisionOutcome = 'incident' | 'no_incident' | 'inconclusive' | 'failed';

export interface AppMetrics {
  /** Rendered by GET /metrics; callback gauges read from the platform of the scraping request. */
  registry: Registry<Platform>;
  httpRequests: Counter;
  httpDuration: Histogram;
  recentLatency: LatencyWindow;
  fixes: Counter;
  recentFixes: RateWindow;
  frames: Counter;
  liveViewers: Gauge;
  liveEventsDelivered: Counter;
  jobRuns: Counter;
  visionAnalyses: Counter;
  visionSkips: Counter;
  reorderWaits: Counter;
  /** The queue's counts, cached for QUEUE_STATS_TTL_MS; concurrent callers share one query. */
  queueStats(platform: Platform): Promise<QueueStats>;
  /** What retention deleted per kind (from the database), cached for RETENTION_STATS_TTL_MS. */
  retentionStats(platform: Platform): Promise<RetentionStats[]>;
  /** Per fleet: frames received, analysed, skipped; analysis lag (database-wide), cached for VISION_STATS_TTL_MS. */
  visionStats(platform: Platform): Promise<FleetVisionStats[]>;
}

export function createAppMetrics(clock: Clock): AppMetrics {
  const registry = createRegistry<Platform>();
  let cached: { at: number; stats: Promise<QueueStats> } | null = null;
  const queueStats = (platform: Platform) => {
    const now = clock.now();
    if (!cached || now - cached.at >= QUEUE_STATS_TTL_MS) {
      const entry = { at: now, stats: platform.queue.stats() };
      cached = entry;
      // A failed read is not cached: the next scrape asks again.
      entry.stats.catch(() => {
        if (cached === entry) cached = null;
      });
    }
    return cached.stats;
  };

  let retention: { at: number; stats: Promise<RetentionStats[]> } | null = null;
  const cachedRetention = (platform: Platform) => {
    const now = clock.now();
    if (!retention || now - retention.at >= RETENTION_STATS_TTL_MS) {
      const entry = { at: now, stats: retentionStats(platform.db.kysely, platform.clock.now()) };
      retention = entry;
      entry.stats.catch(() => {
        if (retention === entry) retention = null;
      });
    }
    return retention.stats;
  };

  let vision: { at: number; stats: Promise<FleetVisionStats[]> } | null = null;
  const cachedVision = (platform: Platform) => {
    const now = clock.now();
    if (!vision || now - vision.at >= VISION_STATS_TTL_MS || now < vision.at) {
      const entry = { at: now, stats: visionStats(platform.db.kysely, platform.clock.now()) };
      vision = entry;
      entry.stats.catch(() => {
        if (vision === entry) vision = null;
      });
    }
    return vision.stats;
  };

  const metrics: AppMetrics = {
    registry,
    httpRequests: registry.counter({ name: 'taxiwatch_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status class.', labelNames: ['method', 'route', 'status_class'] }),
    httpDuration: registry.histogram({ name: 'taxiwatch_http_request_duration_seconds', help: 'Time to answer an HTTP request (until the response headers; a stream counts until it starts).', labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS }),
    recentLatency: createLatencyWindow(clock, LATENCY_BUCKETS),
    fixes: registry.counter({ name: 'taxiwatch_fixes_total', help: 'GPS fixes received from devices: stored, duplicate (already stored) or rejected (their batch was refused).', labelNames: ['outcome'] }),
    recentFixes: createRateWindow(clock, 60),
    frames: registry.counter({ name: 'taxiwatch_frames_total', help: 'Camera frame uploads: stored, duplicate or rejected.', labelNames: ['outcome'] }),
    liveViewers: registry.gauge({ name: 'taxiwatch_live_viewers', help: 'Live feed (SSE) connections open on this instance.' }),
    liveEventsDelivered: registry.counter({ name: 'taxiwatch_live_events_delivered_total', help: 'Live events queued to viewers (one per event per viewer that receives it).' }),
    jobRuns: registry.counter({ name: 'taxiwatch_job_runs_total', help: 'Background job runs by job name and outcome (a failed run is retried or becomes a dead letter).', labelNames: ['job', 'outcome'] }),
    visionAnalyses: registry.counter({ name: 'taxiwatch_vision_analyses_total', help: 'Frame analyses by analyser and outcome.', labelNames: ['analyser', 'outcome'] }),
    visionSkips: registry.counter({ name: 'taxiwatch_vision_skipped_total', help: 'Routine frames not analysed, by reason: stale (waited longer than VISION_ROUTINE_MAX_AGE_S) or backlog (the fleet already waited on VISION_ROUTINE_BACKLOG routine frames); counted by the process that skipped them.', labelNames: ['reason'] }),
    reorderWaits: registry.counter({ name: 'taxiwatch_telemetry_reorder_waits_total', help: "Fix batches that started after a gap and waited for the vehicle's earlier batch before their telemetry (edge/domain/ingest/reorder-window.ts): filled (it came and went first) or timed_out (it did not come within the window).", labelNames: ['outcome'] }),
    queueStats,
    retentionStats: cachedRetention,
    visionStats: cachedVision,
  };

  for (const outcome of ['stored', 'duplicate', 'rejected'] satisfies IngestOutcome[]) {
    metrics.fixes.inc({ outcome }, 0);
    metrics.frames.inc({ outcome }, 0);
  }
  for (const reason of ['stale', 'backlog']) metrics.visionSkips.inc({ reason }, 0);
  for (const outcome of ['filled', 'timed_out']) metrics.reorderWaits.inc({ outcome }, 0);
  registry.callbackGauge({
    name: 'taxiwatch_queue_jobs',
    help: 'Jobs in the queue by state (dead = dead letters awaiting replay); read at scrape time, cached 5 s. queued/running are absent where the backend does not expose them (QStash).',
    labelNames: ['state'],
    collect: async (platform) => {
      const stats = await queueStats(platform);
      return (['queued', 'running', 'dead'] as const).flatMap((state) => (stats[state] === null ? [] : [{ labels: { state }, value: stats[state] }]));
    },
  });
  registry.callbackGauge({
    name: 'taxiwatch_retention_deleted_rows',
    help: 'Rows deleted by the nightly retention jobs, by kind (frames, fixes, reports, evidence_packs) and window (24h, 7d, total); read from the database, so the same on every instance; cached 60 s.',
    labelNames: ['kind', 'window'],
    collect: async (platform) =>
      (await cachedRetention(platform)).flatMap((s) => [
        { labels: { kind: s.kind, window: '24h' }, value: s.deleted_24h },
        { labels: { kind: s.kind, window: '7d' }, value: s.deleted_7d },
        { labels: { kind: s.kind, window: 'total' }, value: s.deleted_total },
      ]),
  });
  registry.callbackGauge({
    name: 'taxiwatch_vision_frames',
    help: 'Camera frames received in the last 15 minutes per fleet, by state: received, analysed, skipped_stale, skipped_backlog, failed, pending; read from the database (the same on every instance), cached 10 s.',
    labelNames: ['fleet', 'state'],
    collect: async (platform) =>
      (await cachedVision(platform)).flatMap((f) =>
        Object.entries({ received: f.received, analysed: f.analysed, skipped_stale: f.skipped.stale, skipped_backlog: f.skipped.backlog, failed: f.failed, pending: f.pending }).map(([state, value]) => ({ labels: { fleet: f.fleet_id, state }, value })),
      ),
  });
  registry.callbackGauge({
    name: 'taxiwatch_vision_analysed_ratio',
    help: 'Share of the camera frames received in the last 15 minutes that were analysed, per fleet (absent for a fleet that sent none).',
    labelNames: ['fleet'],
    collect: async (platform) => (await cachedVision(platform)).flatMap((f) => (f.analysed_share === null ? [] : [{ labels: { fleet: f.fleet_id }, value: f.analysed_share }])),
  });
  registry.callbackGauge({
    name: 'taxiwatch_vision_lag_seconds',
    help: 'Analysis lag (analysed at minus received at) of the frames received in the last 15 minutes and analysed, per fleet, at quantile 0.5 and 0.95, for all frames and for high-priority ones.',
    labelNames: ['fleet', 'priority', 'quantile'],
    collect: async (platform) =>
      (await cachedVision(platform)).flatMap((f) =>
        [
          { labels: { fleet: f.fleet_id, priority: 'all', quantile: '0.5' }, value: f.lag_p50_s },
          { labels: { fleet: f.fleet_id, priority: 'all', quantile: '0.95' }, value: f.lag_p95_s },
          { labels: { fleet: f.fleet_id, priority: 'high', quantile: '0.95' }, value: f.high_lag_p95_s },
        ].flatMap((s) => (s.value === null ? [] : [{ labels: s.labels, value: s.value }])),
      ),
  });
  registry.callbackGauge({
    name: 'taxiwatch_process_memory_bytes',
    help: 'Memory of this process by kind (rss, heap_used, heap_total), where the runtime exposes it.',
    labelNames: ['kind'],
    collect: () => {
      const memory = processMemory();
      return memory ? Object.entries(memory).map(([kind, value]) => ({ labels: { kind }, value })) : [];
    },
  });
  registry.callbackGauge({
    name: 'taxiwatch_event_loop_utilization',
    help: "Share of the last 10 s this process's event loop spent running code rather than waiting (0-1), where the runtime tells (Node); near 1 the process is full and answers queue behind each other.",
    collect: () => {
      const utilization = eventLoopLoad().utilization();
      return utilization === null ? [] : [{ labels: {}, value: utilization }];
    },
  });
  registry.callbackGauge({
    name: 'taxiwatch_info',
    help: 'Always 1; the labels name the version and the runtime.',
    labelNames: ['version', 'runtime'],
    collect: (platform) => [{ labels: { version: VERSION, runtime: platform.runtime }, value: 1 }],
  });
  return metrics;
}

// The fallback set is created on first use with the system clock: no platform clock is stable across requests on Workers.
let processMetrics: AppMetrics | undefined;

export function metricsFor(platform: Pick<Platform, 'metrics'>): AppMetrics {
  return platform.metrics ?? (processMetrics ??= createAppMetrics({ now: () => Date.now() }));
}

/** Fixes that passed validation: stored ones also feed the last minute's ingest rate. */
export function recordFixes(platform: Platform, stored: number, duplicates: number): void {
  const metrics = metricsFor(platform);
  metrics.fixes.inc({ outcome: 'stored' }, stored);
  metrics.fixes.inc({ outcome: 'duplicate' }, duplicates);
  metrics.recentFixes.add(stored);
}

export function recordRejectedFixes(platform: Platform, count: number): void {
  metricsFor(platform).fixes.inc({ outcome: 'rejected' }, count);
}

export function recordFrame(platform: Platform, outcome: IngestOutcome): void {
  metricsFor(platform).frames.inc({ outcome });
}

/** For the vision jobs: `analyser` is the adapter's name (offline, cloud, cascade…), a small fixed set. */
export function recordVisionAnalysis(platform: Platform, analyser: string, outcome: VisionOutcome): void {
  metricsFor(platform).visionAnalyses.inc({ analyser, outcome });
}

export function recordVisionSkip(platform: Platform, reason: 'stale' | 'backlog'): void {
  metricsFor(platform).visionSkips.inc({ reason });
}

export function recordReorderWait(platform: Platform, outcome: 'filled' | 'timed_out'): void {
  metricsFor(platform).reorderWaits.inc({ outcome });
}

/** Runs a job and counts its outcome; the job's error is rethrown untouched for the queue's retries. */
export async function countJobRun(platform: Platform, job: string, run: () => Promise<void>): Promise<void> {
  const runs = metricsFor(platform).jobRuns;
  try {
    await run();
    runs.inc({ job, outcome: 'succeeded' });
  } catch (error) {
    runs.inc({ job, outcome: 'failed' });
    throw error;
  }
}

/** A live feed connection: counted while open, and every event queued to it. */
export function liveViewer(platform: Platform): { leave(): void } {
  const metrics = metricsFor(platform);
  metrics.liveViewers.inc();
  let left = false;
  return {
    leave() {
      if (left) return;
      left = true;
      metrics.liveViewers.dec();
    },
  };
}

/** Live events queued to viewers: counted once per event (the fan-out's count), not once per viewer. */
export function liveDeliveries(platform: Platform, count: number): void {
  if (count > 0) metricsFor(platform).liveEventsDelivered.inc({}, count);
}
