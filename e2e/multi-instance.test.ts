/**
 * Two instances (Node, then Deno) behind one Postgres and one Redis, as behind a load balancer: an event caused on A reaches
 * an SSE client of B, a logout on A ends a stream open on B within a second, and a job enqueued on A runs exactly once
 * across both.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { createUuidV7Ids } from '../edge/adapters/clock/uuid-v7-ids.ts';
import { createSystemClock } from '../edge/adapters/clock/system-clock.ts';
import { createTestPostgres, postgresAvailable } from './support/test-databases.ts';
import { redisAvailable, serverRedisKeys, TEST_REDIS_URL } from './support/test-redis.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from './support/spawn-server.ts';
import { collectSse } from './support/sse-client.ts';

const ready = (await postgresAvailable()) && (await redisAvailable());
const running: RunningServer[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const cleanup of cleanups) await cleanup();
});

describe.skipIf(!ready)('two instances sharing Postgres and Redis', () => {
  it.each(['node', 'deno'] as const)('%s: fans live events out across instances and runs each job once', { timeout: 180_000 }, async (runtime) => {
    const pg = await createTestPostgres();
    cleanups.push(pg.drop);
    const clock = createSystemClock();
    const deps = { db: pg.db.kysely, clock, ids: createUuidV7Ids(clock) };
    const fleet = await createFleet(deps, { name: 'Shared' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'LB-1' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@shared.test', password: 'shared-password', role: 'owner' });
    const now = new Date();
    await pg.db.kysely
      .insertInto('incidents')
      .values({ id: 'inc-shared', fleet_id: fleet.id, vehicle_id: vehicle.id, driver_id: null, trip_id: null, frame_id: null, type: 'HARSH_BRAKING', severity: 'MEDIUM', confidence: null, source: 'telemetry', latitude: null, longitude: null, occurred_at: now, last_seen_at: now, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: now })
      .execute();

    // A webhook receiver counts deliveries: the job behind each must run once, whichever instance takes it.
    const deliveries: string[] = [];
    const receiver = createServer((req, res) => {
      deliveries.push(String(req.headers['taxiwatch-delivery']));
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => receiver.close(r)));

    // Under a prefix of this run's own, deleted once the servers have stopped (afterAll stops them first).
    const redisKeys = serverRedisKeys();
    cleanups.push(redisKeys.deleteAll);
    const env = { DATABASE_URL: pg.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisKeys.REDIS_KEY_PREFIX, JWT_SECRET: 'shared-jwt-secret-shared-jwt-secret-123', QUEUE_POLL_MS: '50', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
    const start = async () => {
      const port = await freePort();
      const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-lb-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const server =
        runtime === 'node'
          ? startProcess(join(process.cwd(), 'node_modules/.bin/tsx'), ['edge/runtime/node.ts'], { ...env, DATA_DIR: dir }, port)
          : startProcess(join(process.cwd(), 'node_modules/.bin/deno'), ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys', 'edge/runtime/deno.ts'], { ...env, DATA_DIR: dir }, port);
      running.push(server);
      await waitForHttp(`${server.url}/api/v1/health`, server, 60_000, [200]);
      return server;
    };
    const [a, b] = await Promise.all([start(), start()]);

    const login = await fetch(`${a.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@shared.test', password: 'shared-password' }) });
    const { access_token: token } = await login.json();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const feed = collectSse(await fetch(`${b.url}/api/v1/live`, { headers: auth }));
    await Promise.race([feed.connected, new Promise((r) => setTimeout(r, 10_000))]);
    const review = await fetch(`${a.url}/api/v1/incidents/inc-shared`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'acknowledged' }) });
    expect(review.status).toBe(200);
    expect(await feed.waitFor((events) => events.some((e) => e.event === 'incident_updated'))).toBe(true);
    await feed.close();

    // Logging out on A ends a stream open on B within a second: the revocation crosses instances on Redis pub/sub.
    const session = await (await fetch(`${a.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@shared.test', password: 'shared-password' }) })).json();
    const watched = collectSse(await fetch(`${b.url}/api/v1/live`, { headers: { authorization: `Bearer ${session.access_token}` } }));
    await Promise.race([watched.connected, new Promise((r) => setTimeout(r, 10_000))]);
    const loggedOut = await fetch(`${a.url}/api/v1/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: session.refresh_token }) });
    expect(loggedOut.status).toBe(204);
    expect(await Promise.race([watched.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 1000))])).toBe('ended');
    expect(watched.events.at(-1)?.event).toBe('session_ended');

    const hook = await (await fetch(`${a.url}/api/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`, event_types: ['incident_updated'] }) })).json();
    for (let i = 0; i < 5; i++) expect((await fetch(`${a.url}/api/v1/webhooks/${hook.id}/ping`, { method: 'POST', headers: auth })).status).toBe(202);
    const deadline = Date.now() + 20_000;
    while (deliveries.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(deliveries).toHaveLength(5);
    expect(new Set(deliveries).size).toBe(5);
  });
});
