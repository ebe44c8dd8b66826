/**
 * Bench (g), vision (issue 20), on Postgres with the offline analyser in `npm run worker` processes:
 * 1. throughput: `frames` high-priority frames analysed by one worker process, then by two, two again and one again;
 *    each round's frames/s counts the frames settled from the moment its last worker was ready (model loaded and
 *    warmed up, as every worker does before it claims a frame) to its last frame, so no model load is counted, and
 *    the ratio of the two-worker rounds' rate to the one-worker rounds' is reported;
 * 2. prioritised load: `taxis` taxis upload a frame every `frameIntervalSeconds` through the app (which runs no
 *    jobs: RUN_JOBS=false) for `durationSeconds`, a `highShare` of them flagged by the device (trigger) and the rest
 *    routine, while two workers analyse; reported: high-priority lag p95 (settled at minus received at), the analysed
 *    share, skips by reason and the largest routine backlog seen (the queue depth must stay bounded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stopChild } from './child-process.ts';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../edge/ports/db.ts';
import type { HttpClient } from './http-client.ts';
import { percentile } from './percentiles.ts';
import type { BenchDevice } from './provision.ts';

export interface VisionBenchOptions {
  /** Frames per throughput round. */
  frames: number;
  taxis: number;
  frameIntervalSeconds: number;
  durationSeconds: number;
  /** Share of the load's frames the device flags (high priority). */
  highShare: number;
  /** How long to wait after the load for the high frames to be analysed. */
  drainSeconds: number;
  /** Extra node arguments for the worker processes (--cpu-prof). */
  workerNodeArgs?: string[];
}

export interface VisionThroughputRound {
  workers: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
}

export interface VisionLoadResult {
  taxis: number;
  frameIntervalSeconds: number;
  durationSeconds: number;
  uploaded: number;
  uploadErrors: number;
  high: number;
  highAnalysed: number;
  highLagP95S: number | null;
  highLagP50S: number | null;
  analysed: number;
  analysedShare: number;
  skipped: { stale: number; backlog: number };
  maxRoutineBacklog: number;
  routineBacklogLimit: number;
  /** Device answers that carried routine_frame_interval_s. */
  slowDownAnswers: number;
}

export interface VisionBenchResult {
  throughput: VisionThroughputRound[];
  /** frames/s of the two-worker rounds over the one-worker rounds'. */
  ratio: number;
  load?: VisionLoadResult;
}

const WORKER_ENTRY = fileURLToPath(new URL('../../edge/runtime/node-worker.ts', import.meta.url));

export function workerEnv(serverEnv: Record<string, string>): Record<string, string> {
  // The offline model in every worker, one job at a time each (one core each), no cloud.
  return {
    ...serverEnv,
    VISION_ANALYSER: 'offline',
    QUEUE_CONCURRENCY: '1',
    QUEUE_POLL_MS: '100',
    // "worker started" (info) says when a worker is ready.
    LOG_LEVEL: 'info',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
  };
}

interface WorkerProcess {
  output(): string;
  stop(): Promise<void>;
}

/** When the worker logged "worker started" (its model loaded and warmed up), or null before that. */
function workerReadyAt(output: string): number | null {
  const line = output.split('\n').find((l) => l.includes('"worker started"'));
  return line ? Date.parse((JSON.parse(line) as { time: string }).time) : null;
}

/** Waits until every worker is ready (workers load their model before they claim a frame); returns when the last was. */
async function readyAt(workers: WorkerProcess[]): Promise<number> {
  await waitUntil(async () => workers.every((w) => workerReadyAt(w.output()) !== null), 5 * 60_000, 'the workers to be ready', workers);
  return Math.max(...workers.map((w) => workerReadyAt(w.output())!));
}

function startWorker(env: Record<string, string>, nodeArgs: string[] = []): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', WORKER_ENTRY, '--jobs', 'analyse-frame'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => output,
    stop: () => stopChild(child, exited),
  };
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  workers: WorkerProcess[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `vision bench: timed out waiting for ${what}\n${workers.map((w) => w.output().slice(-1500)).join('\n---\n')}`,
  );
}

/** Stores `count` high-priority frames of `devices` (blobs through the app's upload, so they land where workers read). */
async function uploadFrames(
  client: HttpClient,
  devices: BenchDevice[],
  images: Uint8Array[],
  count: number,
  startMs: number,
  flagged: (i: number) => boolean,
) {
  const ids: string[] = [];
  let errors = 0;
  let slowDown = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const device = devices[i % devices.length];
      const headers: Record<string, string> = {
        'content-type': 'image/jpeg',
        'x-captured-at': new Date(startMs + i).toISOString(),
        authorization: `Bearer ${device.key}`,
      };
      if (flagged(i)) headers['x-frame-trigger'] = 'bench';
      const res = await client
        .send('POST', '/api/v1/video/frames/upload', headers, images[i % images.length])
        .catch(() => ({ status: 0, body: '' }));
      if (res.status !== 202) {
        errors++;
        return;
      }
      const body = JSON.parse(res.body) as { frame_id: string; routine_frame_interval_s?: number };
      if (body.routine_frame_interval_s) slowDown++;
      ids.push(body.frame_id);
    }),
  );
  return { ids, errors, slowDown };
}

async function throughputRound(
  db: Db,
  client: HttpClient,
  devices: BenchDevice[],
  images: Uint8Array[],
  env: Record<string, string>,
  workers: number,
  frames: number,
  log: (line: string) => void,
  nodeArgs: string[] = [],
): Promise<VisionThroughputRound> {
  const started = Array.from({ length: workers }, () => startWorker(env, nodeArgs));
  let from = 0;
  let ids: string[] = [];
  try {
    log(`(g) ${frames} frames, ${workers} worker process${workers === 1 ? '' : 'es'}`);
    await readyAt(started);
    // Stored once every worker is ready (model loaded and warmed up), so no frame is analysed while another worker
    // is still loading, and the round counts every frame: with the frames stored first, the first worker ready took
    // some of them alone, and those had to be left out (a smoke run under load then counted two frames of three).
    from = Date.now();
    ({ ids } = await uploadFrames(client, devices, images, frames, from - 60_000 - frames, () => true));
    const settled = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('frames')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('id', 'in', ids)
            .where('analysis_status', '<>', 'pending')
            .executeTakeFirstOrThrow()
        ).n,
      );
    await waitUntil(
      async () => (await settled()) >= ids.length,
      30 * 60_000,
      `${frames} frames with ${workers} workers`,
      started,
    );
  } finally {
    await Promise.all(started.map((w) => w.stop()));
  }
  const rows = await db.kysely
    .selectFrom('frames')
    .select(['settled_at', 'analysis_status'])
    .where('id', 'in', ids)
    .orderBy('settled_at')
    .execute();
  const failed = rows.filter((r) => r.analysis_status !== 'done').length;
  if (failed > 0)
    log(
      `(g) warning: ${failed} of ${rows.length} frames not analysed (${[...new Set(rows.map((r) => r.analysis_status))].join(', ')})`,
    );
  const times = rows.map((r) => r.settled_at!.getTime());
  const seconds = times.length > 0 ? (times[times.length - 1] - from) / 1000 : 0;
  return { workers, frames: times.length, seconds, framesPerSecond: seconds > 0 ? times.length / seconds : NaN };
}

async function prioritisedLoad(
  db: Db,
  client: HttpClient,
  devices: BenchDevice[],
  images: Uint8Array[],
  env: Record<string, string>,
  options: VisionBenchOptions,
  log: (line: string) => void,
): Promise<VisionLoadResult> {
  const fleetDevices = devices.slice(0, options.taxis);
  const fleetIds = await db.kysely
    .selectFrom('vehicles')
    .select('fleet_id')
    .where(
      'id',
      'in',
      fleetDevices.map((d) => d.vehicleId),
    )
    .execute();
  const fleetId = fleetIds[0].fleet_id;
  const workers = [startWorker(env, options.workerNodeArgs), startWorker(env, options.workerNodeArgs)];
  // The load starts once both workers have loaded their model, so the model's load time is not lag.
  await readyAt(workers);
  const since = new Date();
  let uploaded = 0;
  let uploadErrors = 0;
  let slowDown = 0;
  let maxBacklog = 0;
  const routineBacklog = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('frames')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('fleet_id', '=', fleetId)
          .where('analysis_status', '=', 'pending')
          .where('priority', '=', 'routine')
          .executeTakeFirstOrThrow()
      ).n,
    );
  try {
    log(
      `(g) ${options.taxis} taxis, a frame every ${options.frameIntervalSeconds} s for ${options.durationSeconds} s, ${Math.round(options.highShare * 100)} % flagged, two workers`,
    );
    // Each taxi at its own phase within the interval, open loop: a slow answer does not slow the next upload.
    const intervalMs = options.frameIntervalSeconds * 1000;
    const endAt = Date.now() + options.durationSeconds * 1000;
    const pending: Promise<void>[] = [];
    let sequence = 0;
    const sampler = setInterval(
      () =>
        void routineBacklog().then(
          (n) => (maxBacklog = Math.max(maxBacklog, n)),
          () => {},
        ),
      1000,
    );
    try {
      while (Date.now() < endAt) {
        for (let t = 0; t < fleetDevices.length; t++) {
          const flagged = ((sequence * 7919) % 1000) / 1000 < options.highShare;
          sequence++;
          pending.push(
            uploadFrames(client, [fleetDevices[t]], images, 1, Date.now() - 1000, () => flagged).then((r) => {
              uploaded += r.ids.length;
              uploadErrors += r.errors;
              slowDown += r.slowDown;
            }),
          );
          // Spread the taxis over the interval.
          await new Promise((r) => setTimeout(r, Math.max(0, intervalMs / fleetDevices.length - 1)));
          if (Date.now() >= endAt) break;
        }
      }
      await Promise.all(pending);
      // The high frames still queued get `drainSeconds` to be analysed; routine ones may be skipped meanwhile.
      const highPending = async () =>
        Number(
          (
            await db.kysely
              .selectFrom('frames')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('fleet_id', '=', fleetId)
              .where('priority', '=', 'high')
              .where('analysis_status', '=', 'pending')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const drainUntil = Date.now() + options.drainSeconds * 1000;
      while (Date.now() < drainUntil && (await highPending()) > 0) await new Promise((r) => setTimeout(r, 500));
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  const rows = await db.kysely
    .selectFrom('frames')
    .select(['priority', 'analysis_status', 'analysis', 'received_at', 'settled_at'])
    .where('fleet_id', '=', fleetId)
    .where('received_at', '>=', since)
    .execute();
  const highLags = rows
    .filter((r) => r.priority === 'high' && r.analysis_status === 'done' && r.settled_at)
    .map((r) => (r.settled_at!.getTime() - r.received_at.getTime()) / 1000)
    .sort((a, b) => a - b);
  const reason = (r: (typeof rows)[number]) => (r.analysis as { skipped_reason?: string } | null)?.skipped_reason;
  const analysed = rows.filter((r) => r.analysis_status === 'done').length;
  return {
    taxis: fleetDevices.length,
    frameIntervalSeconds: options.frameIntervalSeconds,
    durationSeconds: options.durationSeconds,
    uploaded,
    uploadErrors,
    high: rows.filter((r) => r.priority === 'high').length,
    highAnalysed: highLags.length,
    highLagP95S: highLags.length ? percentile(highLags, 95) : null,
    highLagP50S: highLags.length ? percentile(highLags, 50) : null,
    analysed,
    analysedShare: rows.length ? analysed / rows.length : 0,
    skipped: {
      stale: rows.filter((r) => reason(r) === 'stale').length,
      backlog: rows.filter((r) => reason(r) === 'backlog').length,
    },
    maxRoutineBacklog: maxBacklog,
    routineBacklogLimit: Number(env.VISION_ROUTINE_BACKLOG ?? 200),
    slowDownAnswers: slowDown,
  };
}

/** `client` talks to a server run with RUN_JOBS=false on `db`; `serverEnv` is its environment (workers get the same database and DATA_DIR). */
export async function measureVision(
  db: Db,
  client: HttpClient,
  serverEnv: Record<string, string>,
  devices: BenchDevice[],
  images: Uint8Array[],
  options: VisionBenchOptions,
  log: (line: string) => void,
): Promise<VisionBenchResult> {
  const env = workerEnv(serverEnv);
  // One worker, two, two, one: the machine's load drifts over minutes here, and in this order a steady drift falls
  // on both sides of the ratio alike instead of on whichever side ran second.
  const rounds: VisionThroughputRound[] = [];
  for (const workers of [1, 2, 2, 1]) rounds.push(await throughputRound(db, client, devices, images, env, workers, options.frames, log, options.workerNodeArgs));
  const rate = (workers: number) => {
    const mine = rounds.filter((r) => r.workers === workers);
    return mine.reduce((sum, r) => sum + r.frames, 0) / mine.reduce((sum, r) => sum + r.seconds, 0);
  };
  const result: VisionBenchResult = { throughput: rounds, ratio: rate(2) / rate(1) };
  if (options.durationSeconds > 0 && options.taxis > 0)
    result.load = await prioritisedLoad(db, client, devices, images, env, options, log);
  return result;
}
