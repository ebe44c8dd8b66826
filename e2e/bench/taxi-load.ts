/**
 * (c) A fleet of simulated taxis, open-loop: each taxi sends one fix a second and one dashcam frame every ten
 * seconds (--frame-interval) on a fixed schedule, whatever the server's replies, and latency runs from the scheduled send time
 * (so a stalled server cannot hide its queueing: no coordinated omission).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpClient, HttpSender } from './http-client.ts';
import { createLatencyTimeline, type TimelineWindow } from './latency-timeline.ts';
import { summarize, type LatencySummary } from './percentiles.ts';
import type { BenchDevice } from './provision.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';

export const DASHCAM_DIR = `${sharedDataDir()}/images/dashcam`;

/**
 * (c)'s connections (`--connections`): `reuse`, one keep-alive pool shared by every taxi; `per-request`, a new
 * connection per request with `Connection: close` (the firmware before keep-alive); `per-taxi`, each taxi's own
 * connection kept open between its sends, one request at a time (the keep-alive firmware).
 */
export type ConnectionMode = 'reuse' | 'per-request' | 'per-taxi';

/**
 * How long the keep-alive firmware reuses an idle connection: under 50 s, below the server's HTTP_KEEP_ALIVE_S
 * (65 s by default), so the unit, not the server, closes a connection idle that long.
 */
export const UNIT_IDLE_REUSE_MS = 50_000;

export interface EndpointResult {
  path: string;
  scheduled: number;
  completed: number;
  ok: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  latencyMs: LatencySummary;
  firstError?: string;
}

export interface TaxiLoadResult {
  taxis: number;
  fixesPerRequest: number;
  durationSeconds: number;
  fixes: EndpointResult;
  frames: EndpointResult;
  frameIntervalSeconds: number;
  /** Whether the server ran the jobs this load queued (RUN_JOBS), when the caller says (run.ts). */
  serverJobs?: boolean;
  /** How the taxis connected (`--connections`), when the caller says (run.ts). */
  connections?: ConnectionMode;
  /** Connections the load generator opened during the measured load (the warm-up's not counted). */
  connectionsOpened: number;
  /** How late the load generator fired sends (p99, ms): a large value means the client, not the server, lagged. */
  dispatchLagP99Ms: number;
  /** Both endpoints' answers by 5-s window of scheduled send time: a stall of a few seconds or a steady tail. */
  timeline?: TimelineWindow[];
  /**
   * CPU milliseconds per answered request during the load: the server's and its database's (Linux /proc) where the
   * caller said whose to count, and always the load generator's own (this process), which shares the machine's cores.
   */
  cpuMsPerRequest?: { server: number; database?: number; loadGenerator: number };
  /** What the server's answers said it stored, warm-up included: fixes (`stored` of each 2xx) and new frames (202). */
  acknowledged: { fixes: number; frames: number };
  /** What the database holds for these taxis afterwards, where the caller could count it (run.ts: Postgres). */
  stored?: { fixes: number; frames: number; frameAnalysis?: Record<string, number> };
}

/** Whose CPU the load's report divides by the requests answered: the server process, and its database's backends. */
export interface CpuMeters {
  server: () => number;
  database?: () => number;
}

export async function loadDashcamImages(dir = DASHCAM_DIR): Promise<Uint8Array[]> {
  try {
    const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.jpg')).sort();
    if (names.length > 0) return Promise.all(names.map(async (n) => new Uint8Array(await readFile(join(dir, n)))));
  } catch {
    // fall through to a tiny synthetic JPEG
  }
  return [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])];
}

interface Tracker {
  scheduled: number;
  completed: number;
  ok: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  samples: number[];
  firstError?: string;
  /** Set when the measurement ends: later replies no longer count. */
  closed: boolean;
}

const tracker = (): Tracker => ({ scheduled: 0, completed: 0, ok: 0, errors: 0, errorsByStatus: {}, samples: [], closed: false });

function finishEndpoint(path: string, t: Tracker): EndpointResult {
  t.closed = true;
  // Requests still unanswered when the measurement ends are errors (timeouts), not silently dropped.
  const unanswered = t.scheduled - t.completed;
  if (unanswered > 0) {
    t.errors += unanswered;
    t.errorsByStatus.unanswered = unanswered;
  }
  return {
    path,
    scheduled: t.scheduled,
    completed: t.completed,
    ok: t.ok,
    errors: t.errors,
    errorsByStatus: { ...t.errorsByStatus },
    latencyMs: summarize(t.samples),
    firstError: t.firstError,
  };
}

const ownCpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6; // seconds, as the meters count
};

const TIMELINE_WINDOW_S = 5;

export async function runTaxiLoad(
  client: HttpClient,
  devices: BenchDevice[],
  options: {
    durationSeconds: number;
    images: Uint8Array[];
    fixIntervalMs?: number;
    frameIntervalMs?: number;
    fixesPerRequest?: number;
    cpu?: CpuMeters;
    /** Each taxi sends on a connection of its own, one request at a time (client.ownConnection()), instead of the client's shared pool. */
    ownConnectionsPerTaxi?: boolean;
  },
): Promise<TaxiLoadResult> {
  // A taxi takes one fix a second; it posts each at once (fixesPerRequest 1) or, like the firmware, buffers and
  // posts them in batches (the simulator's default is 10).
  const perRequest = options.fixesPerRequest ?? 1;
  const fixInterval = options.fixIntervalMs ?? 1000;
  const fixEvery = fixInterval * perRequest;
  const frameEvery = options.frameIntervalMs ?? 10_000;
  const durationMs = options.durationSeconds * 1000;
  const n = devices.length;
  // Per taxi, as the firmware: one connection, one request at a time. A send due while the last is unanswered waits
  // for it; its latency still runs from its scheduled time, so the wait is measured, and a slow server is not met
  // with a second connection per taxi (which no unit opens).
  const senders: HttpSender[] | undefined = options.ownConnectionsPerTaxi ? devices.map(() => client.ownConnection()) : undefined;
  const senderOf = (device: number): HttpSender => senders?.[device] ?? client;
  const fixes = tracker();
  const frames = tracker();
  const acknowledged = { fixes: 0, frames: 0 };
  const addAcknowledged = (body: string) => {
    try {
      acknowledged.fixes += Number((JSON.parse(body) as { stored?: number }).stored ?? 0);
    } catch {
      // not JSON: nothing acknowledged
    }
  };

  // The whole schedule up front, sorted: [time offset ms, device index, kind].
  const schedule: { at: number; device: number; frame: boolean }[] = [];
  for (let d = 0; d < n; d++) {
    for (let t = (d * fixEvery) / n; t < durationMs; t += fixEvery) schedule.push({ at: t, device: d, frame: false });
    for (let t = (d * frameEvery) / n; t < durationMs; t += frameEvery) schedule.push({ at: t, device: d, frame: true });
  }
  schedule.sort((a, b) => a.at - b.at);

  // Warm-up outside the measurement: device keys cached by the server, keep-alive connections opened.
  // In waves of 100, like units coming online over a few seconds; thousands of connections opened in one instant would
  // overflow the listen backlog and measure the warm-up's own queue instead.
  // Two minutes before the drive: its first fixes, a few hundred metres on, are then plausible (not GPS jumps).
  const warmBase = Date.now() - 120_000;
  for (let from = 0; from < devices.length; from += 100) {
    await Promise.all(
      devices.slice(from, from + 100).map((d, i) =>
        senderOf(from + i)
          // Where the taxi's drive runs: from a place kilometres away its first fixes would be GPS jumps, dropped unstored.
          .postJson('/api/v1/tracking/location', { latitude: 40.4 + (from + i) * 1e-4, longitude: -3.7, timestamp: new Date(warmBase - from - i).toISOString() }, { authorization: `Bearer ${d.key}` })
          .then((res) => res.status >= 200 && res.status < 300 && addAcknowledged(res.body))
          .catch(() => null),
      ),
    );
  }
  // The warm-up's after-answer work (rules, trips) finishes before the clock starts.
  await new Promise((r) => setTimeout(r, 2000));

  const cpuAtStart = options.cpu && { server: options.cpu.server(), database: options.cpu.database?.() };
  const ownCpuAtStart = process.cpuUsage();
  const openedAtStart = client.opened();
  const perfStart = performance.now() + 500;
  const wallStart = Date.now() + 500;
  const inFlight = new Set<Promise<void>>();
  const lags: number[] = [];
  const timeline = createLatencyTimeline(TIMELINE_WINDOW_S);

  const fire = (item: (typeof schedule)[number]) => {
    const device = devices[item.device];
    const scheduledAt = perfStart + item.at;
    lags.push(performance.now() - scheduledAt);
    const t = item.frame ? frames : fixes;
    t.scheduled += 1;
    timeline.sent(item.at);
    const timestamp = new Date(wallStart + item.at).toISOString();
    const auth = { authorization: `Bearer ${device.key}` };
    const sender = senderOf(item.device);
    const request = item.frame
      ? sender.send('POST', '/api/v1/video/frames/upload', { 'content-type': 'image/jpeg', 'x-captured-at': timestamp, ...auth }, options.images[item.device % options.images.length])
      : sender.postJson(
          '/api/v1/tracking/location',
          perRequest === 1
            ? { latitude: 40.4 + item.device * 1e-4, longitude: -3.7 - (item.at % 60_000) * 1e-7, speed: 30, heading: 90, timestamp }
            : {
                fixes: Array.from({ length: perRequest }, (_, j) => {
                  const at = item.at - (perRequest - 1 - j) * fixInterval;
                  return { latitude: 40.4 + item.device * 1e-4, longitude: -3.7 - (at % 60_000) * 1e-7, speed: 30, heading: 90, timestamp: new Date(wallStart + at).toISOString() };
                }),
              },
          auth,
        );
    const p = request
      .then((res) => {
        if (t.closed) return;
        t.completed += 1;
        if (res.status >= 200 && res.status < 300) {
          if (!item.frame) addAcknowledged(res.body);
          else if (res.status === 202) acknowledged.frames += 1;
          t.ok += 1;
          const latency = performance.now() - scheduledAt;
          t.samples.push(latency);
          timeline.answered(item.at, latency);
        } else {
          t.errors += 1;
          t.errorsByStatus[res.status] = (t.errorsByStatus[res.status] ?? 0) + 1;
          t.firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
        }
      })
      .catch((error: unknown) => {
        if (t.closed) return;
        t.completed += 1;
        t.errors += 1;
        t.errorsByStatus.network = (t.errorsByStatus.network ?? 0) + 1;
        t.firstError ??= String(error);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < schedule.length && perfStart + schedule[next].at <= now) fire(schedule[next++]);
      if (next >= schedule.length) return resolve();
      setTimeout(tick, Math.max(0, perfStart + schedule[next].at - performance.now()));
    };
    setTimeout(tick, Math.max(0, perfStart - performance.now()));
  });
  // Replies get up to 10 s after the last scheduled send; what is still unanswered then counts as an error.
  await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, 10_000))]);
  const connectionsOpened = client.opened() - openedAtStart;
  const answered = fixes.completed + frames.completed;
  const msPerRequest = (used: number) => Math.round(((used * 1000) / Math.max(1, answered)) * 100) / 100;
  const cpuMsPerRequest = options.cpu && cpuAtStart
    ? {
        server: msPerRequest(options.cpu.server() - cpuAtStart.server),
        ...(options.cpu.database ? { database: msPerRequest(options.cpu.database() - (cpuAtStart.database ?? 0)) } : {}),
        loadGenerator: msPerRequest(ownCpuMs(ownCpuAtStart)),
      }
    : undefined;

  // Every non-2xx answer is an error, 404 included: a route that answers 404 under load is a failure to report,
  // never a reason to leave the endpoint out.
  return {
    taxis: n,
    fixesPerRequest: perRequest,
    durationSeconds: options.durationSeconds,
    fixes: finishEndpoint('/api/v1/tracking/location', fixes),
    frames: finishEndpoint('/api/v1/video/frames/upload', frames),
    frameIntervalSeconds: frameEvery / 1000,
    dispatchLagP99Ms: summarize(lags).p99,
    timeline: timeline.windows(),
    ...(cpuMsPerRequest ? { cpuMsPerRequest } : {}),
    connectionsOpened,
    acknowledged,
  };
}
