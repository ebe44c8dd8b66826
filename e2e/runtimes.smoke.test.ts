/**
 * Smoke tests: each runtime entry starts for real and serves health. Node and Deno run on the embedded
 * defaults (PGlite in a fresh DATA_DIR); workerd has no PGlite, so its health names what is not configured.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestPostgres, postgresAvailable } from './support/test-databases.ts';
import { redisAvailable, serverRedisKeys, TEST_REDIS_URL } from './support/test-redis.ts';
import { startNeonWsProxy } from './support/neon-ws-proxy.ts';
import { startQStashServer } from './support/qstash-server.ts';
import { startUpstashRestServer } from './support/upstash-rest-server.ts';
import { startTestS3 } from './support/test-s3.ts';
import { collectSse } from './support/sse-client.ts';
import { createS3Blobs } from '../edge/adapters/blobs/s3-blobs.ts';
import { createSystemClock } from '../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../edge/adapters/clock/uuid-v7-ids.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { drive } from '../edge/domain/telemetry/telemetry-test-drive.ts';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from './support/spawn-server.ts';

const bin = (name: string) => join(process.cwd(), 'node_modules/.bin', name);
const postgresUp = await postgresAvailable();
const redisUp = await redisAvailable();
const running: RunningServer[] = [];
const dirs: string[] = [];

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-smoke-'));
  dirs.push(dir);
  return dir;
}

async function start(runtime: 'node' | 'deno', env: Record<string, string | undefined>) {
  const port = await freePort();
  const server =
    runtime === 'node'
      ? startProcess(bin('tsx'), ['edge/runtime/node.ts'], env, port)
      : startProcess(bin('deno'), ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys', 'edge/runtime/deno.ts'], env, port);
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe.each(['node', 'deno'] as const)('%s entry on embedded defaults', (runtime) => {
  it('serves green health, seeds demo data once and keeps it across a restart', { timeout: 180_000 }, async () => {
    const dir = await dataDir();
    const env = { DATA_DIR: dir, DATABASE_URL: undefined, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined };
    const first = await start(runtime, env);
    const res = await waitForHttp(`${first.url}/api/v1/health/`, first, 120_000, [200, 503]);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.runtime).toBe(runtime);
    expect(body.components.db.adapter).toBe('pglite');
    expect(body.components.queue.adapter).toBe('db-queue');
    expect(body.components.blobs.adapter).toBe('fs');
    expect(first.output()).toContain('owner@taxiwatch.local');
    expect(first.output()).toMatch(/twd_[A-Za-z0-9_-]{20,}/);
    await first.stop();

    const second = await start(runtime, env);
    expect((await waitForHttp(`${second.url}/api/v1/health`, second, 120_000, [200])).status).toBe(200);
    // The banner with passwords and device keys is printed once, on the start that created them.
    expect(second.output()).not.toContain('owner@taxiwatch.local');
  });
});

describe('node entry configuration', () => {
  it('refuses to start on a bad variable, naming it', { timeout: 60_000 }, async () => {
    const server = await start('node', { DATA_DIR: await dataDir(), LOG_LEVEL: 'loud' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain('LOG_LEVEL');
    expect(server.output()).toContain('Invalid configuration');
  });

  it.skipIf(!postgresUp)('creates no demo data when DATABASE_URL is set', { timeout: 120_000 }, async () => {
    const pg = await createTestPostgres();
    try {
      const server = await start('node', { DATA_DIR: await dataDir(), DATABASE_URL: pg.url });
      const res = await waitForHttp(`${server.url}/api/v1/health`, server, 60_000, [200]);
      expect((await res.json()).components.db.adapter).toBe('postgres');
      const fleets = await pg.db.kysely.selectFrom('fleets').select('id').execute();
      expect(fleets).toEqual([]);
      expect(server.output()).not.toContain('taxiwatch.local');
      await server.stop();
    } finally {
      await pg.drop();
    }
  });
});

async function startWrangler(vars: Record<string, string> = {}, port?: number) {
  port ??= await freePort();
  const inspector = await freePort();
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const server = startProcess(
    bin('wrangler'),
    // --test-scheduled: with static assets configured, wrangler dev's /cdn-cgi/handler/scheduled fails inside its
    // asset router (DataCloneError on the ScheduledController); /__scheduled reaches the Worker directly.
    ['dev', '--test-scheduled', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspector), '--log-level', 'warn', ...varArgs],
    { WRANGLER_SEND_METRICS: 'false', CI: 'true', XDG_CONFIG_HOME: await dataDir() },
    port,
  );
  running.push(server);
  return server;
}

describe('workerd entry (wrangler dev)', () => {
  it('starts and its health names what is not configured', { timeout: 180_000 }, async () => {
    const server = await startWrangler();
    const res = await waitForHttp(`${server.url}/api/v1/health`, server, 150_000, [200, 503]);
    const body = await res.json();
    expect(res.status).toBe(503);
    expect(body.runtime).toBe('workerd');
    expect(body.failing).toEqual(expect.arrayContaining(['db', 'queue', 'blobs']));
    expect(body.components.db.error).toContain('DATABASE_URL');
    expect(body.components.cache.status).toBe('ok');

    // The web app: the page comes from the Worker, its hashed script from wrangler's static assets (web/dist).
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await login.text())?.[1];
    expect(script, 'the login page loads its islands').toBeTruthy();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
  });
});

describe.skipIf(!postgresUp)('workerd entry with Neon → proxy → Postgres', () => {
  it('is green on the database and runs queued jobs from its cron trigger', { timeout: 180_000 }, async () => {
    const pg = await createTestPostgres();
    const target = new URL(pg.url);
    const proxy = await startNeonWsProxy({ allow: [`${target.hostname}:${target.port || 5432}`] });
    try {
      const server = await startWrangler({ DATABASE_URL: pg.url, NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v2` });
      const res = await waitForHttp(`${server.url}/api/v1/health`, server, 150_000, [200, 503]);
      const body = await res.json();
      expect(body.components.db).toMatchObject({ status: 'ok', adapter: 'neon' });
      expect(body.components.queue).toMatchObject({ status: 'ok', adapter: 'db-queue' });

      const now = new Date();
      await pg.db.kysely
        .insertInto('jobs')
        .values({ id: 'smoke-job', name: 'purge-finished-jobs', payload: 'null', status: 'queued', max_attempts: 3, run_at: now, created_at: now, updated_at: now })
        .execute();
      const tick = await fetch(`${server.url}/__scheduled`);
      expect(tick.status, server.output()).toBe(200);
      const job = await pg.db.kysely.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', 'smoke-job').executeTakeFirstOrThrow();
      expect(job).toEqual({ status: 'done', attempts: 1 });
    } finally {
      await proxy.close();
      await pg.drop();
    }
  });
});

describe.skipIf(!postgresUp || !redisUp)('self-hosted: Postgres and Redis over TCP', () => {
  it.each(['node', 'deno'] as const)('%s serves green health on Postgres, Redis and the database queue', { timeout: 180_000 }, async (runtime) => {
    const pg = await createTestPostgres();
    const redisKeys = serverRedisKeys();
    try {
      const server = await start(runtime, { DATA_DIR: await dataDir(), DATABASE_URL: pg.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisKeys.REDIS_KEY_PREFIX });
      const res = await waitForHttp(`${server.url}/api/v1/health`, server, 120_000, [200, 503]);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.components).toMatchObject({
        db: { adapter: 'postgres' },
        cache: { adapter: 'redis' },
        bus: { adapter: 'redis' },
        queue: { adapter: 'db-queue' },
      });
      await server.stop();
    } finally {
      await redisKeys.deleteAll();
      await pg.drop();
    }
  });

  it('reports Redis down (503) instead of hanging when REDIS_URL points nowhere', { timeout: 120_000 }, async () => {
    const pg = await createTestPostgres();
    try {
      const server = await start('node', { DATA_DIR: await dataDir(), DATABASE_URL: pg.url, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
      const res = await waitForHttp(`${server.url}/api/v1/health`, server, 60_000, [200, 503]);
      const body = await res.json();
      expect(res.status).toBe(503);
      expect(body.failing).toEqual(['cache', 'bus']);
      await server.stop();
    } finally {
      await pg.drop();
    }
  });
});

describe.skipIf(!postgresUp || !redisUp)('workerd on the production adapters: Neon, Upstash, QStash and S3', () => {
  it('is green everywhere and runs a QStash delivery verified by the Worker', { timeout: 180_000 }, async () => {
    const pg = await createTestPostgres();
    const target = new URL(pg.url);
    const proxy = await startNeonWsProxy({ allow: [`${target.hostname}:${target.port || 5432}`] });
    const upstash = await startUpstashRestServer({ redisUrl: TEST_REDIS_URL, token: 'smoke-upstash' });
    const keys = { token: 'smoke-qstash', currentSigningKey: 'sig_current_smoke', nextSigningKey: 'sig_next_smoke' };
    const qstash = await startQStashServer(keys);
    const s3 = await startTestS3();
    const redisKeys = serverRedisKeys();
    try {
      const port = await freePort();
      const vars = {
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: redisKeys.REDIS_KEY_PREFIX,
        DATABASE_URL: pg.url,
        NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v2`,
        UPSTASH_REDIS_REST_URL: upstash.url,
        UPSTASH_REDIS_REST_TOKEN: upstash.token,
        QSTASH_URL: qstash.url,
        QSTASH_TOKEN: keys.token,
        QSTASH_CURRENT_SIGNING_KEY: keys.currentSigningKey,
        QSTASH_NEXT_SIGNING_KEY: keys.nextSigningKey,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.credentials.region,
        S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        JWT_SECRET: 'worker-jwt-secret-worker-jwt-secret-42',
      };
      const server = await startWrangler(vars, port);
      const res = await waitForHttp(`${server.url}/api/v1/health`, server, 150_000, [200, 503]);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.components).toMatchObject({
        db: { adapter: 'neon' },
        cache: { adapter: 'upstash' },
        bus: { adapter: 'upstash' },
        queue: { adapter: 'qstash' },
        blobs: { adapter: 's3' },
      });

      // The cron trigger registers the schedules with QStash; a fire is delivered to the Worker, verified and run.
      expect((await fetch(`${server.url}/__scheduled`)).status).toBe(200);
      expect(qstash.schedules.get('purge-finished-jobs')?.destination).toBe(`${vars.PUBLIC_URL}/api/v1/jobs/purge-finished-jobs`);
      qstash.fireSchedule('purge-finished-jobs');
      await qstash.settle();
      expect(qstash.deliveries.at(-1)?.status).toBe(200);
      const done = await pg.db.kysely.selectFrom('job_deliveries').select('job_name').execute();
      expect(done).toEqual([{ job_name: 'purge-finished-jobs' }]);

      // Through the Worker: log in, write and read the database, download a blob from S3, and receive on one
      // request's SSE stream an event that another request published (through Upstash).
      const clock = createSystemClock();
      const deps = { db: pg.db.kysely, clock, ids: createUuidV7Ids(clock) };
      const fleet = await createFleet(deps, { name: 'Edge' });
      await createUser(deps, { fleetId: fleet.id, email: 'owner@edge.test', password: 'edge-password-1', role: 'owner' });
      const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'EDGE1' });
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
      await createS3Blobs({ ...s3.credentials, endpoint: s3.endpoint, bucket: s3.bucket, clock }).put('frames/edge/1.jpg', jpeg, { contentType: 'image/jpeg' });
      const now = new Date();
      await pg.db.kysely.insertInto('frames').values({ id: 'frame-edge', fleet_id: fleet.id, vehicle_id: vehicle.id, device_id: null, blob_key: 'frames/edge/1.jpg', captured_at: now, received_at: now, size_bytes: jpeg.length, width: null, height: null }).execute();
      await pg.db.kysely.insertInto('incidents').values({ id: 'inc-edge', fleet_id: fleet.id, vehicle_id: vehicle.id, driver_id: null, trip_id: null, frame_id: 'frame-edge', type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, source: 'vision', latitude: null, longitude: null, occurred_at: now, last_seen_at: now, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: now }).execute();

      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@edge.test', password: 'edge-password-1' }) });
      expect(login.status).toBe(200);
      const auth = { authorization: `Bearer ${(await login.json()).access_token}`, 'content-type': 'application/json' };
      const created = await fetch(`${server.url}/api/v1/vehicles`, { method: 'POST', headers: auth, body: JSON.stringify({ plate: 'EDGE2' }) });
      expect(created.status).toBe(201);
      const listed = await (await fetch(`${server.url}/api/v1/vehicles`, { headers: auth })).json();
      expect(listed.data.map((v: { plate: string }) => v.plate).sort()).toEqual(['EDGE1', 'EDGE2']);

      const frame = await (await fetch(`${server.url}/api/v1/frames/frame-edge`, { headers: auth })).json();
      const download = await fetch(frame.download_url);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(jpeg);

      const feed = collectSse(await fetch(`${server.url}/api/v1/live`, { headers: auth }));
      await Promise.race([feed.connected, new Promise((r) => setTimeout(r, 10_000))]);
      expect((await fetch(`${server.url}/api/v1/incidents/inc-edge`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'acknowledged' }) })).status).toBe(200);
      expect(await feed.waitFor((events) => events.some((e) => e.event === 'incident_updated'))).toBe(true);

      // The isolate's one Upstash subscription was opened inside the first viewer's request: viewers that outlive
      // that request, and viewers that come after it, must still be fed.
      const second = collectSse(await fetch(`${server.url}/api/v1/live`, { headers: auth }));
      await Promise.race([second.connected, new Promise((r) => setTimeout(r, 10_000))]);
      await feed.close();
      await new Promise((r) => setTimeout(r, 500));
      expect((await fetch(`${server.url}/api/v1/incidents/inc-edge`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'resolved' }) })).status).toBe(200);
      expect(await second.waitFor((events) => events.some((e) => e.event === 'incident_updated' && !!e.data?.includes('"resolved"')))).toBe(true);
      await second.close();
      await new Promise((r) => setTimeout(r, 500));
      const third = collectSse(await fetch(`${server.url}/api/v1/live`, { headers: auth }));
      await Promise.race([third.connected, new Promise((r) => setTimeout(r, 10_000))]);
      const device = await (await fetch(`${server.url}/api/v1/devices`, { method: 'POST', headers: auth, body: JSON.stringify({ vehicle_id: vehicle.id }) })).json();
      const beat = await fetch(`${server.url}/api/v1/devices/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${device.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ battery_pct: 77 }) });
      expect(beat.status).toBeLessThan(300);
      expect(await third.waitFor((events) => events.some((e) => e.event === 'device_status' && !!e.data?.includes('77')))).toBe(true);
      await third.close();
    } finally {
      await Promise.all(running.splice(0).map((server) => server.stop()));
      await redisKeys.deleteAll();
      await qstash.close();
      await upstash.close();
      await s3.close();
      await proxy.close();
      await pg.drop();
    }
  });
});

describe.skipIf(!postgresUp)('workerd with Neon and S3 but no QStash: a device\'s fixes and frames', () => {
  it('writes the after-answer telemetry (incident, trip, last seen) and analyses a frame without waiting for the cron', { timeout: 180_000 }, async () => {
    const pg = await createTestPostgres();
    const target = new URL(pg.url);
    const proxy = await startNeonWsProxy({ allow: [`${target.hostname}:${target.port || 5432}`] });
    const s3 = await startTestS3();
    try {
      const server = await startWrangler({
        DATABASE_URL: pg.url,
        NEON_WS_PROXY: `127.0.0.1:${proxy.port}/v2`,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.credentials.region,
        S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        JWT_SECRET: 'worker-jwt-secret-worker-jwt-secret-43',
      });
      const health = await (await waitForHttp(`${server.url}/api/v1/health`, server, 150_000, [200, 503])).json();
      expect(health.components).toMatchObject({ db: { adapter: 'neon' }, queue: { adapter: 'db-queue' }, blobs: { adapter: 's3' } });

      const clock = createSystemClock();
      const deps = { db: pg.db.kysely, clock, ids: createUuidV7Ids(clock) };
      const fleet = await createFleet(deps, { name: 'Edge fixes' });
      const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'EDGE3' });
      const device = await createDevice(deps, { vehicleId: vehicle.id });
      const headers = { authorization: `Bearer ${device.key}` };

      // Cruise at 50 km/h, brake to a stop in 3 s (a harsh braking), stand: one trip with one incident.
      const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 30 }, { kmh: 0, seconds: 3 }, { kmh: 0, seconds: 10 }], { startAt: Date.now() - 600_000 });
      const sent = await fetch(`${server.url}/api/v1/tracking/location`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ fixes: fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, heading: 0, timestamp: new Date(f.at).toISOString() })) }),
      });
      expect(sent.status, server.output()).toBe(202);

      const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images', 'photos', 'skimage_astronaut_from_png.jpg')));
      const uploaded = await fetch(`${server.url}/api/v1/video/frames/upload`, { method: 'POST', headers: { ...headers, 'content-type': 'image/jpeg' }, body: jpeg });
      expect(uploaded.status, server.output()).toBeLessThan(300);

      // No /__scheduled tick: what follows was done by the requests themselves, after their answers.
      const settled = async () => {
        const incidents = await pg.db.kysely.selectFrom('incidents').select('type').where('vehicle_id', '=', vehicle.id).execute();
        const trips = await pg.db.kysely.selectFrom('trips').select('id').where('vehicle_id', '=', vehicle.id).execute();
        const seen = await pg.db.kysely.selectFrom('devices').select('last_seen_at').where('id', '=', device.id).executeTakeFirstOrThrow();
        const frames = await pg.db.kysely.selectFrom('frames').select('analysis_status').where('vehicle_id', '=', vehicle.id).execute();
        return { incidents: incidents.map((i) => i.type), trips: trips.length, seen: seen.last_seen_at !== null, frames: frames.map((f) => f.analysis_status) };
      };
      // workerd has no offline model and no cloud model is configured here: the frame is settled as not_configured.
      await expect.poll(settled, { timeout: 30_000, interval: 500 }).toEqual({ incidents: ['HARSH_BRAKING'], trips: 1, seen: true, frames: ['not_configured'] });
      expect(server.output()).not.toMatch(/already been destroyed|telemetry step failed/);
    } finally {
      await Promise.all(running.splice(0).map((server) => server.stop()));
      await s3.close();
      await proxy.close();
      await pg.drop();
    }
  });
});
