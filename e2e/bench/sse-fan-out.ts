/**
 * (d) Live-feed fan-out: N SSE viewers on one server, events published at a fixed rate; each viewer records
 * arrival minus send time of every event (ingest-to-delivery). The same driver measures the app
 * (GET /api/v1/live, events from POSTed fixes whose device time is the send time) and the bare node:http loop.
 * Viewers are raw node:http requests on a keep-alive agent; the server runs in another process.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type ClientRequest } from 'node:http';
import { summarize, type LatencySummary } from './percentiles.ts';

export interface FanOutTarget {
  baseUrl: string;
  path: string;
  headers: Record<string, string>;
  /** Publishes one event carrying `deviceTime` (ISO-8601); resolves with the HTTP status. */
  publish(deviceTime: string): Promise<number>;
  /** The server process, for its CPU time (Linux /proc). */
  pid?: number;
}

export interface FanOutResult {
  viewers: number;
  connected: number;
  events: number;
  publishErrors: number;
  expectedDeliveries: number;
  deliveries: number;
  latencyMs: LatencySummary;
  /** Server CPU over the publishing window, as a share of one core (NaN when unknown). */
  serverCpuShare: number;
  /** Server CPU per event per viewer, microseconds. */
  serverCpuUsPerDelivery: number;
  /** Size of one event as the viewers received it (bytes). */
  eventBytes: number;
}

/** A round's result with its raw latencies and CPU, so rounds can be pooled (poolFanOut) before they are reported. */
export type FanOutRound = FanOutResult & { samples: number[]; cpuSeconds: number; busySeconds: number };

/**
 * Several rounds against one server as one result: latencies pooled before the percentiles are taken, counts
 * summed, CPU per delivery and CPU share over all of them. Rounds of one server run on both sides of the other's
 * (app, bare, bare, app), so a drift in the machine's load falls on both servers' pooled figures alike.
 */
export function poolFanOut(rounds: FanOutRound[]): FanOutResult {
  const sum = (pick: (r: FanOutRound) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const deliveries = sum((r) => r.deliveries);
  const cpuSeconds = sum((r) => r.cpuSeconds);
  const busySeconds = sum((r) => r.busySeconds);
  return {
    viewers: rounds[0].viewers,
    connected: Math.min(...rounds.map((r) => r.connected)),
    events: sum((r) => r.events),
    publishErrors: sum((r) => r.publishErrors),
    expectedDeliveries: sum((r) => r.expectedDeliveries),
    deliveries,
    latencyMs: summarize(rounds.flatMap((r) => r.samples)),
    ...cpuFigures(cpuSeconds, busySeconds, deliveries),
    eventBytes: rounds[0].eventBytes,
  };
}

/** Server CPU as a share of one core over the busy time, and per delivery (µs). */
function cpuFigures(cpuSeconds: number, busySeconds: number, deliveries: number) {
  return {
    serverCpuShare: Math.round((cpuSeconds / busySeconds) * 1000) / 1000,
    serverCpuUsPerDelivery: Math.round(((cpuSeconds * 1e6) / Math.max(1, deliveries)) * 10) / 10,
  };
}

export function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based) of the whole line: 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const MARKER = '"device_time":"';

export async function measureFanOut(target: FanOutTarget, options: { viewers: number; eventsPerSecond: number; seconds: number; connectConcurrency?: number; drainMs?: number }): Promise<FanOutRound> {
  const url = new URL(target.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const sendTimes = new Map<string, number>();
  const samples: number[] = [];
  let deliveries = 0;
  let eventBytes = 0;
  const requests: ClientRequest[] = [];

  const openViewer = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: target.path, headers: { accept: 'text/event-stream', ...target.headers }, agent }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`viewer got ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('latin1');
        let buffer = '';
        let connected = false;
        res.on('data', (chunk: string) => {
          const now = performance.now();
          buffer += chunk;
          if (!connected && buffer.includes(': connected')) {
            connected = true;
            resolve();
          }
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const at = frame.indexOf(MARKER);
            if (at === -1) continue;
            const deviceTime = frame.slice(at + MARKER.length, frame.indexOf('"', at + MARKER.length));
            const sent = sendTimes.get(deviceTime);
            if (sent === undefined) continue;
            deliveries += 1;
            eventBytes ||= frame.length + 2;
            samples.push(now - sent);
          }
        });
        res.on('error', () => {});
      });
      req.on('error', (error) => reject(error));
      req.end();
      requests.push(req);
    });

  // Connect in waves, each viewer confirmed by the server's ": connected" comment.
  const wave = options.connectConcurrency ?? 200;
  let connected = 0;
  for (let i = 0; i < options.viewers; i += wave) {
    const results = await Promise.allSettled(Array.from({ length: Math.min(wave, options.viewers - i) }, () => withTimeout(openViewer(), 30_000)));
    connected += results.filter((r) => r.status === 'fulfilled').length;
  }
  await new Promise((r) => setTimeout(r, 500));

  // Publish on a fixed schedule (open loop); device times are unique wall-clock ISO strings.
  const events = Math.round(options.eventsPerSecond * options.seconds);
  const interval = 1000 / options.eventsPerSecond;
  let publishErrors = 0;
  const cpuBefore = processCpuSeconds(target.pid);
  const started = performance.now();
  const publishes: Promise<void>[] = [];
  let lastIso = '';
  for (let k = 0; k < events; k++) {
    const due = started + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    let iso = new Date().toISOString();
    if (iso <= lastIso) iso = new Date(Date.parse(lastIso) + 1).toISOString();
    lastIso = iso;
    sendTimes.set(iso, performance.now());
    publishes.push(
      target.publish(iso).then(
        (status) => void (status >= 300 && (publishErrors += 1)),
        () => void (publishErrors += 1),
      ),
    );
  }
  await Promise.all(publishes);
  const expected = connected * events;
  const drainUntil = performance.now() + (options.drainMs ?? 5000);
  while (deliveries < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  const busySeconds = (performance.now() - started) / 1000;
  const cpu = processCpuSeconds(target.pid) - cpuBefore;

  for (const req of requests) req.destroy();
  agent.destroy();
  await new Promise((r) => setTimeout(r, 500));
  return {
    viewers: options.viewers,
    connected,
    events,
    publishErrors,
    expectedDeliveries: expected,
    deliveries,
    latencyMs: summarize(samples),
    samples,
    cpuSeconds: cpu,
    busySeconds,
    ...cpuFigures(cpu, busySeconds, deliveries),
    eventBytes,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms).unref())]);
}
