/**
 * `npm run bench`: measures ingest and the live feed on PGlite and on Postgres in one run and checks the
 * issue's targets. Flags: --db pglite|postgres|both (default both), --quick (small smoke sizes), --duration <s>
 * for the taxi load (default 60), --fix-batch <n> (fixes per taxi request, default 10:
 * units batch, as the firmware and the simulator do; 1 sends one request per fix),
 * --overlap-rounds <n> and --overlap-fixes <n> (rounds of 10 overlapping batches from one device in (e), default 20 of
 * 500 fixes), --taxis <n>, --frame-interval <s> (seconds between one taxi's frames in (c), default 10), --server-jobs
 * on|off (whether the app server of (c) and (e) runs the jobs its frames and fixes queue, as `npm start` does by
 * default, or leaves them to `npm run worker` processes on other machines, as RUN_JOBS=false does; default on),
 * --connections reuse|per-request|per-taxi ((c)'s connections, taxi-load.ts's ConnectionMode; default reuse), --only a,b,c,d,e,f,g (sections; default all), --viewers 1000,2000, --out <file> (default bench-results/latest.json),
 * --cpu-prof <dir> (V8 CPU profiles of the server children), --score-drivers <n> and --score-days <n> (the fleet (f) seeds for
 * the safety-score leaderboard, default 500 × 90; --quick 20 × 14).
 * (g) vision, Postgres only (vision-throughput.ts): --vision-frames <n> (frames per 1- and 2-worker round),
 * --vision-taxis <n>, --vision-frame-interval <s>, --vision-duration <s> (the prioritised load), --vision-high-share
 * <0..1> (share of frames the device flags); the issue's scale is --vision-taxis 500 --vision-frame-interval 10
 * --vision-duration 600. Exits non-zero only when the bench itself crashes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createBenchDatabase, postgresReachable, type DbKind } from './bench-db.ts';
import { startBenchChild, type BenchChild } from './child-process.ts';
import { createHttpClient } from './http-client.ts';
import { measureIngestThroughApp } from './ingest-through-app.ts';
import { measureInsertRate } from './insert-rate.ts';
import { provisionFleet, type BenchDevice, type BenchFleet } from './provision.ts';
import type { Db } from '../../edge/ports/db.ts';
import { checkTargets, formatReport, writeReport, type BenchReport, type DbSection, type SseRound } from './report.ts';
import { measureOverlappingBatches } from './overlapping-batches.ts';
import { measureFanOut, poolFanOut, type FanOutRound } from './sse-fan-out.ts';
import { loadDashcamImages, runTaxiLoad, UNIT_IDLE_REUSE_MS, type ConnectionMode, type CpuMeters, type TaxiLoadResult } from './taxi-load.ts';
import { cpuSecondsOfCommands, sampleTree } from './process-tree.ts';
import { measureLeaderboard } from './leaderboard.ts';
import { measureVision, type VisionBenchOptions } from './vision-throughput.ts';

export interface BenchOptions {
  dbs: DbKind[];
  quick: boolean;
  insertRows: number;
  ingestClients: number;
  taxis: number;
  fixesPerRequest: number;
  frameIntervalSeconds: number;
  /** (c)'s connections (`--connections`): one shared keep-alive pool, a new one per request, or each taxi's own. */
  connections: ConnectionMode;
  durationSeconds: number;
  /** Whether the app server of (c) and (e) runs jobs itself (RUN_JOBS), or leaves them to workers elsewhere. */
  serverJobs: boolean;
  viewers: number[];
  eventsPerSecond: number;
  sseSeconds: number;
  out: string | null;
  cpuProfDir?: string;
  overlapRounds: number;
  overlapBatchFixes: number;
  /** (f) the leaderboard's fleet: drivers (one taxi each) × days of trips and incidents. */
  scoreDrivers: number;
  scoreDays: number;
  vision: VisionBenchOptions;
  /** Sections to run (a, b, c, d, e, f); all by default. (b) needs (a) for its ratio. */
  only: Set<string>;
  log(line: string): void;
}

export function benchOptions(argv: string[]): BenchOptions {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i !== -1) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const quick = argv.includes('--quick');
  const db = flag('db') ?? 'both';
  if (!['pglite', 'postgres', 'both'].includes(db)) throw new Error(`--db must be pglite, postgres or both, not ${db}`);
  const number = (name: string, fallback: number) => {
    const v = flag(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number, not ${v}`);
    return n;
  };
  return {
    dbs: db === 'both' ? ['pglite', 'postgres'] : [db as DbKind],
    quick,
    insertRows: number('rows', quick ? 1000 : 100_000),
    ingestClients: number('clients', quick ? 2 : 8),
    taxis: number('taxis', quick ? 10 : 500),
    durationSeconds: number('duration', quick ? 2 : 60),
    fixesPerRequest: number('fix-batch', 10),
    frameIntervalSeconds: number('frame-interval', 10),
    connections: connections(flag('connections')),
    serverJobs: serverJobs(flag('server-jobs')),
    overlapRounds: number('overlap-rounds', quick ? 2 : 20),
    overlapBatchFixes: number('overlap-fixes', quick ? 50 : 500),
    scoreDrivers: number('score-drivers', quick ? 20 : 500),
    scoreDays: number('score-days', quick ? 14 : 90),
    viewers: (flag('viewers') ?? (quick ? '10,20' : '1000,2000')).split(',').map(Number),
    eventsPerSecond: number('rate', 10),
    sseSeconds: number('sse-seconds', quick ? 1 : 10),
    out: flag('out') ?? 'bench-results/latest.json',
    cpuProfDir: flag('cpu-prof'),
    only: new Set((flag('only') ?? 'a,b,c,d,e,f,g').split(',').map((x) => x.trim())),
    vision: {
      frames: number('vision-frames', quick ? 6 : 60),
      taxis: number('vision-taxis', quick ? 4 : 50),
      frameIntervalSeconds: number('vision-frame-interval', quick ? 2 : 10),
      durationSeconds: number('vision-duration', quick ? 4 : 60),
      highShare: Math.min(1, number('vision-high-share', 0.1)),
      drainSeconds: quick ? 60 : 120,
    },
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

/** The server child's CPU and, on Postgres, its database's backends' (their command line names the database). */
function cpuMeters(server: BenchChild, databaseUrl: string | undefined): CpuMeters | undefined {
  if (process.platform !== 'linux') return undefined;
  const name = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : undefined;
  const serverCpu = () => sampleTree(server.pid).reduce((sum, p) => sum + p.cpuSeconds, 0);
  return { server: serverCpu, ...(name ? { database: () => cpuSecondsOfCommands(` ${name} `) } : {}) };
}

const OWNER = { email: 'owner@bench.test', password: 'bench-password-1' };

/**
 * Fixes and frames the database holds for these taxis' vehicles, and the frames by analysis status: `pending` ones
 * still wait for their analyse-frame job, so a server that runs its jobs (RUN_JOBS) shows whether they kept up.
 */
async function countStored(database: { open(): Promise<Db> }, devices: BenchDevice[]): Promise<NonNullable<TaxiLoadResult['stored']>> {
  const db = await database.open();
  try {
    const vehicles = devices.map((d) => d.vehicleId);
    const fixes = await db.kysely.selectFrom('gps_fixes').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', 'in', vehicles).executeTakeFirstOrThrow();
    const frames = await db.kysely
      .selectFrom('frames')
      .select((eb) => ['analysis_status', eb.fn.countAll<number>().as('n')])
      .where('vehicle_id', 'in', vehicles)
      .groupBy('analysis_status')
      .orderBy('analysis_status')
      .execute();
    const frameAnalysis = Object.fromEntries(frames.map((r) => [r.analysis_status, Number(r.n)]));
    return { fixes: Number(fixes.n), frames: frames.reduce((sum, r) => sum + Number(r.n), 0), frameAnalysis };
  } finally {
    await db.close();
  }
}

/** The node flags of a package.json script (`npm start`'s: the server; `npm run worker`'s: vision workers). */
export function scriptFlags(name: 'start' | 'worker'): string[] {
  const script = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts[name];
  return script.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

const CONNECTION_MODES: readonly ConnectionMode[] = ['reuse', 'per-request', 'per-taxi'];

/** (c)'s connections: `reuse` (one keep-alive pool, the default), `per-request` or `per-taxi` (taxi-load.ts). */
function connections(value: string | undefined): ConnectionMode {
  if (value === undefined) return 'reuse';
  if ((CONNECTION_MODES as readonly string[]).includes(value)) return value as ConnectionMode;
  throw new Error(`--connections must be reuse, per-request or per-taxi, not ${value}`);
}

function serverJobs(value: string | undefined): boolean {
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`--server-jobs must be on or off, not ${value}`);
}

function serverEnv(base: Record<string, string>): Record<string, string> {
  return {
    ...base,
    // Embedded defaults except the database: in-process cache and bus, blobs under DATA_DIR, queue in the database.
    DATABASE_URL: base.DATABASE_URL ?? '',
    REDIS_URL: '',
    UPSTASH_REDIS_REST_URL: '',
    UPSTASH_REDIS_REST_TOKEN: '',
    S3_ENDPOINT: '',
    S3_BUCKET: '',
    S3_ACCESS_KEY_ID: '',
    S3_SECRET_ACCESS_KEY: '',
    QSTASH_TOKEN: '',
    QSTASH_URL: '',
    QSTASH_CURRENT_SIGNING_KEY: '',
    QSTASH_NEXT_SIGNING_KEY: '',
    ADMIN_EMAIL: '',
    ADMIN_PASSWORD: '',
    DEMO_DATA: 'false',
    // The ingest targets are about storing and announcing; analysing 50 frames/s with the offline model (~250 ms of
    // CPU each) in the same process would swamp 2 cores. Vision has its own benches (bench:vision-offline, cascade).
    VISION_ANALYSER: 'none',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    // Per-request access logs would measure the log pipe; warnings and errors still show.
    LOG_LEVEL: 'warn',
    // Every simulated taxi is one client address here: lift the limits for the measurement.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
  };
}

async function runSection(kind: DbKind, options: BenchOptions, images: Uint8Array[]): Promise<DbSection> {
  const section: DbSection = { db: kind };
  const log = (line: string) => options.log(`[${kind}] ${line}`);
  log('creating a fresh database');
  const database = await createBenchDatabase(kind);
  let server: BenchChild | undefined;
  let bare: BenchChild | undefined;
  try {
    // In this process: (a), then provisioning; closed before the server child opens the same database.
    let ingestFleet: BenchFleet, taxiFleet: BenchFleet, liveFleet: BenchFleet;
    let visionFleet: BenchFleet | undefined;
    const db = await database.open();
    try {
      if (options.only.has('a') || options.only.has('b')) {
        log(`(a) ${options.insertRows} rows in 100-row INSERTs`);
        section.insert = await measureInsertRate(db, { rows: options.insertRows });
      }
      log(`provisioning ${options.ingestClients + options.taxis + 10} devices`);
      ingestFleet = await provisionFleet(db, 'Bench ingest', options.ingestClients);
      taxiFleet = await provisionFleet(db, 'Bench taxis', options.taxis);
      // Events rotate over ten vehicles: two fixes of one vehicle that overtake each other in the server would
      // publish only the newer (by design), which the viewers would count as a lost event.
      liveFleet = await provisionFleet(db, 'Bench live', 10, OWNER);
      if (options.only.has('f')) {
        log(`(f) leaderboard: seeding ${options.scoreDrivers} drivers × ${options.scoreDays} days, then timing it`);
        section.leaderboard = await measureLeaderboard(db, {
          drivers: options.scoreDrivers,
          days: options.scoreDays,
          tripsPerDay: 10,
          runs: options.quick ? 5 : 30,
        });
      }
      if (options.only.has('g') && kind === 'postgres') visionFleet = await provisionFleet(db, 'Bench vision', Math.max(1, options.vision.taxis));
    } finally {
      await db.close();
    }
    // (a) and (f) alone need no server.
    if (!['b', 'c', 'd', 'e', 'g'].some((x) => options.only.has(x))) return section;

    const profiling = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
    const nodeArgs = [...scriptFlags('start'), ...profiling];
    // Workers run as `npm run worker` does: under the server's flags (a 64 MB young generation) a worker's analyser
    // ran a full collection per frame.
    const workerNodeArgs = [...scriptFlags('worker'), ...profiling];
    let client: ReturnType<typeof createHttpClient> | undefined;
    try {
      if (options.only.has('b') && section.insert) {
        // (b) counts rows through the whole pipeline, rules and trips included: the server finishes every batch
        // before answering (INGEST_IN_BACKGROUND=false), or the rate would count work not yet done.
        log('starting the app server child for (b), after-store steps inside each request');
        server = await startBenchChild(
          './bench-server.ts',
          { ...serverEnv(database.serverEnv), INGEST_IN_BACKGROUND: 'false' },
          { nodeArgs },
        );
        client = createHttpClient(server.url);
        log(`(b) ${options.insertRows} fixes through the app`);
        section.ingest = await measureIngestThroughApp(client, ingestFleet.devices, { fixes: options.insertRows });
        section.ingestRatio = section.ingest.rowsPerSecond / section.insert.rowsPerSecond;
        client.close();
        await server.stop();
        server = undefined;
      }
      log('starting the app server child');
      server = await startBenchChild('./bench-server.ts', { ...serverEnv(database.serverEnv), RUN_JOBS: String(options.serverJobs) }, { nodeArgs });
      client = createHttpClient(server.url);
      if (options.only.has('c')) {
        log(
          `(c) ${options.taxis} taxis for ${options.durationSeconds} s, a frame every ${options.frameIntervalSeconds} s`,
        );
        // per-taxi: idle connections are reused as long as the firmware reuses them, which the server's keep-alive
        // time-out (HTTP_KEEP_ALIVE_S, 65 s by default, bench-server.ts) outlasts.
        const taxiClient =
          options.connections === 'per-request'
            ? createHttpClient(server.url, { connectionPerRequest: true })
            : options.connections === 'per-taxi'
              ? createHttpClient(server.url, { idleReuseMs: UNIT_IDLE_REUSE_MS })
              : client;
        section.taxis = await runTaxiLoad(taxiClient, taxiFleet.devices, {
          durationSeconds: options.durationSeconds,
          images,
          fixesPerRequest: options.fixesPerRequest,
          frameIntervalMs: options.frameIntervalSeconds * 1000,
          cpu: cpuMeters(server, database.serverEnv.DATABASE_URL),
          ownConnectionsPerTaxi: options.connections === 'per-taxi',
        });
        if (taxiClient !== client) taxiClient.close();
        section.taxis.serverJobs = options.serverJobs;
        section.taxis.connections = options.connections;
        // Every acknowledged fix and frame must be in the database; Postgres can be asked while the server runs.
        if (kind === 'postgres') section.taxis.stored = await countStored(database, taxiFleet.devices);
      }
      if (options.only.has('e')) {
        log(
          `(e) one device, ${options.overlapRounds} rounds of 10 overlapping ${options.overlapBatchFixes}-fix batches`,
        );
        section.overlap = await measureOverlappingBatches(client, ingestFleet.devices[0], {
          rounds: options.overlapRounds,
          fixesPerBatch: options.overlapBatchFixes,
        });
      }
      if (options.only.has('g')) {
        if (kind !== 'postgres' || !visionFleet) section.visionSkipped = 'worker processes share Postgres: run with --db postgres';
        else {
          // The app serves uploads and runs no jobs; `npm run worker` processes analyse (docs/operate/workers.md).
          client.close();
          await server.stop();
          const visionEnv = { ...serverEnv(database.serverEnv), RUN_JOBS: 'false' };
          log('starting the app server child for (g), jobs left to worker processes');
          server = await startBenchChild('./bench-server.ts', visionEnv, { nodeArgs });
          client = createHttpClient(server.url);
          const visionDb = await database.open();
          try {
            section.vision = await measureVision(visionDb, client, visionEnv, visionFleet.devices, images, { ...options.vision, workerNodeArgs }, log);
          } finally {
            await visionDb.close();
          }
        }
      }
      if (!options.only.has('d')) return section;
      if (options.only.has('b') || options.only.has('c') || options.only.has('e') || options.only.has('g')) {
        // A fresh server for the live feed, so a backlog left by (c) cannot leak into (d).
        client.close();
        await server.stop();
        log('restarting the app server child for (d)');
        server = await startBenchChild('./bench-server.ts', serverEnv(database.serverEnv), { nodeArgs });
        client = createHttpClient(server.url);
      }

      log('(d) live feed');
      const login = await client.postJson('/api/v1/auth/login', { email: OWNER.email, password: OWNER.password });
      const token = (JSON.parse(login.body) as { access_token?: string }).access_token;
      if (!token) throw new Error(`login failed: ${login.status} ${login.body.slice(0, 200)}`);
      let turn = 0;
      const appTarget = {
        baseUrl: server.url,
        path: '/api/v1/live',
        headers: { authorization: `Bearer ${token}` },
        pid: server.pid,
        publish: async (deviceTime: string) => {
          const device = liveFleet.devices[turn++ % liveFleet.devices.length];
          const res = await client!.postJson(
            '/api/v1/tracking/location',
            { latitude: 40.41, longitude: -3.7, speed: 20, heading: 10, timestamp: deviceTime },
            { authorization: `Bearer ${device.key}` },
          );
          return res.status;
        },
      };
      // A short unrecorded round on each first, so the JIT has compiled the fan-out paths before anything is measured;
      // the app's warm-up also tells the size of its events, which the bare loop then sends.
      const warmUp = {
        viewers: Math.min(200, options.viewers[0]),
        eventsPerSecond: options.eventsPerSecond,
        seconds: Math.min(2, options.sseSeconds),
        drainMs: 1000,
      };
      const eventBytes = (await measureFanOut(appTarget, warmUp)).eventBytes || 300;
      log(`(d) bare node:http loop (${eventBytes}-byte events) beside the app`);
      bare = await startBenchChild('./bare-sse-loop.ts', { BARE_EVENT_BYTES: String(eventBytes) }, { nodeArgs });
      const bareClient = createHttpClient(bare.url);
      const bareTarget = {
        baseUrl: bare.url,
        path: '/live',
        headers: {},
        pid: bare.pid,
        publish: async (deviceTime: string) =>
          (await bareClient.postJson('/publish', { device_time: deviceTime })).status,
      };
      await measureFanOut(bareTarget, warmUp);
      // At each size: app, bare, bare, app (both servers up, the idle one asleep), each server's two rounds pooled,
      // so a change in the machine's load during the run falls on both sides of each ratio rather than on one.
      const rounds: SseRound[] = [];
      for (const viewers of options.viewers) {
        const shape = { viewers, eventsPerSecond: options.eventsPerSecond, seconds: options.sseSeconds };
        const measured = { app: [] as FanOutRound[], bare: [] as FanOutRound[] };
        for (const server of ['app', 'bare', 'bare', 'app'] as const) {
          log(`(d) ${server}, ${viewers} viewers, round ${measured[server].length + 1} of 2`);
          measured[server].push(await measureFanOut(server === 'app' ? appTarget : bareTarget, shape));
        }
        const app = poolFanOut(measured.app);
        const bareResult = poolFanOut(measured.bare);
        rounds.push({
          viewers,
          eventsPerSecond: options.eventsPerSecond,
          app,
          bare: bareResult,
          p95Ratio: app.latencyMs.p95 / bareResult.latencyMs.p95,
        });
      }
      bareClient.close();
      section.sse = rounds;
    } finally {
      client?.close();
    }
  } catch (error) {
    section.error =
      error instanceof Error
        ? `${error.message}${server ? `\nserver output:\n${server.output().slice(-2000)}` : ''}`
        : String(error);
  } finally {
    await server?.stop();
    await bare?.stop();
    await database.destroy().catch(() => {});
  }
  return section;
}

function openFileLimit(): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const limit = openFileLimit();
  // A descriptor per taxi: per-taxi holds one connection each; reuse holds one per request in flight, about one per
  // taxi or fewer while the server keeps up (a server that falls behind makes the pool open more).
  const needed = Math.max(...options.viewers) + options.taxis + 200;
  if (limit !== 'unlimited' && Number(limit) < needed)
    options.log(
      `warning: ulimit -n is ${limit}; ${needed} descriptors are needed (raise it with ulimit -n ${needed * 2})`,
    );
  const images = await loadDashcamImages();
  const sections: DbSection[] = [];
  for (const kind of options.dbs) {
    if (kind === 'postgres' && !(await postgresReachable())) {
      sections.push({ db: kind, skipped: 'Postgres not reachable (set BENCH_POSTGRES_URL)' });
      continue;
    }
    sections.push(await runSection(kind, options, images));
  }
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    environment: {
      node: process.version,
      cpus: cpus().length,
      loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
      ulimitNofile: limit,
      taxis: options.taxis,
      fixesPerRequest: options.fixesPerRequest,
      frameIntervalSeconds: options.frameIntervalSeconds,
      durationSeconds: options.durationSeconds,
      viewers: options.viewers.join(','),
      eventsPerSecond: options.eventsPerSecond,
    },
    sections,
    checks: checkTargets(sections),
  };
  if (options.out) await writeReport(report, options.out);
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = benchOptions(process.argv.slice(2));
    const report = await runBench(options);
    process.stdout.write(`${formatReport(report)}\n`);
    if (options.out) process.stdout.write(`\nJSON: ${options.out}\n`);
    process.exitCode = report.sections.some((s) => s.error) ? 1 : 0;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
