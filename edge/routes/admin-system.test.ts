/** GET /api/v1/admin/system: the console's figures — shape, exact counts over their windows, and admins only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';
import { QUEUE_STATS_TTL_MS } from '../observability/app-metrics.ts';

const PATH = '/api/v1/admin/system';
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('GET /api/v1/admin/system on $database', ({ database, up }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let owner: string;
  let apiKey: string;
  let deviceKey: string;
  let vehicleId: string;
  const get = (path: string, token?: string) => app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let fixSecond = 0;
  const sendFixes = (n: number) =>
    app.request('/api/v1/tracking/location', {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: Array.from({ length: n }, () => ({ latitude: 40.4 + fixSecond / 10_000, longitude: -3.7, timestamp: new Date(platform.clock.now() - 3_600_000 + ++fixSecond * 1000).toISOString() })) }),
    });

  beforeAll(async () => {
    if (!up) return;
    platform = await createTestPlatform({}, { database });
    app = createApp(platform, { live: { heartbeatMs: 50, maxDurationMs: 10_000 } });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'System' })).id;
    await createUser(deps, { fleetId: null, email: 'admin@system.test', password: 'system-password-1', role: 'admin' });
    await createUser(deps, { fleetId, email: 'owner@system.test', password: 'system-password-1', role: 'owner' });
    admin = await loginForTest(app, platform.clock, 'admin@system.test', 'system-password-1');
    owner = await loginForTest(app, platform.clock, 'owner@system.test', 'system-password-1');
    apiKey = (await createApiKey(deps, { fleetId, scopes: ['read:vehicles'] })).key;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'SY-1' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
  });
  afterAll(() => platform?.close());

  it.skipIf(!up)('is for platform admins only', async () => {
    expect((await get(PATH)).status).toBe(401);
    for (const token of [owner, apiKey]) {
      const res = await get(PATH, token);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await get('/metrics', token)).status).toBe(403);
    }
    expect((await get(PATH, admin)).status).toBe(200);
  });

  it.skipIf(!up)('reports components, ingest rate, queue and dead letters, viewers, latency, memory and event-loop load', async () => {
    // Everything earlier leaves the five-minute latency window.
    platform.clock.advance(6 * 60_000);
    expect((await sendFixes(40)).status).toBe(202);
    platform.clock.advance(1000);
    expect((await sendFixes(20)).status).toBe(202);
    for (let i = 0; i < 5; i++) expect((await get(`/api/v1/vehicles/${vehicleId}`, owner)).status).toBe(200);

    // Only this test's jobs are counted below: the fixes may have queued their own (an alert's notify-alert).
    await platform.db.kysely.deleteFrom('jobs').execute();
    platform.queue.setHandlers({ fragile: async () => Promise.reject(new Error('downstream is down')) });
    await platform.queue.enqueue('fragile', {}, { maxAttempts: 1 });
    await platform.queue.runDue();
    await platform.queue.enqueue('later', {}, { delayMs: 3_600_000 });
    platform.clock.advance(QUEUE_STATS_TTL_MS);

    const res = await get(PATH, admin);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      runtime: 'test',
      failing: [],
      components: { db: { status: 'ok' }, cache: { status: 'ok' }, bus: { status: 'ok' }, queue: { status: 'ok', adapter: 'db-queue' }, blobs: { status: 'ok' } },
      ingest: { window_seconds: 60, fixes: 60, fixes_per_second: 1 },
      queue: { adapter: 'db-queue', queued: 1, running: 0, dead: 1, error: null },
      dead_letters: 1,
      live_viewers: 0,
      // Two ingest batches and five vehicle reads: this request itself is counted once it has answered.
      api_latency: { window_seconds: 300, requests: 7, estimate: 'histogram' },
    });
    const { p50_ms, p95_ms, p99_ms } = body.api_latency;
    expect(p50_ms).toBeGreaterThan(0);
    expect(p50_ms).toBeLessThanOrEqual(p95_ms);
    expect(p95_ms).toBeLessThanOrEqual(p99_ms);
    expect(p99_ms).toBeLessThanOrEqual(10_000);
    // Node exposes its memory; the value is this process's, so only its plausibility is checked.
    expect(body.memory.rss).toBeGreaterThan(body.memory.heap_used);
    // Node measures its event loop: a share of the window, of this process, so only its range is checked.
    expect(body.event_loop).toMatchObject({ window_seconds: 10 });
    expect(body.event_loop.utilization).toBeGreaterThanOrEqual(0);
    expect(body.event_loop.utilization).toBeLessThanOrEqual(1);

    // A minute later the ingest window is empty; the latency window still holds the requests.
    platform.clock.advance(60_000);
    const later = await (await get(PATH, admin)).json();
    expect(later.ingest).toEqual({ window_seconds: 60, fixes: 0, fixes_per_second: 0 });
    expect(later.api_latency.requests).toBe(8);
  });

  it.skipIf(!up)('says so when the queue cannot be read, and still answers', async () => {
    const stats = platform.queue.stats;
    platform.queue.stats = () => Promise.reject(new Error('queue table is locked'));
    platform.clock.advance(QUEUE_STATS_TTL_MS);
    try {
      const body = await (await get(PATH, admin)).json();
      expect(body.queue).toMatchObject({ queued: null, dead: null, error: 'queue table is locked' });
      expect(body.dead_letters).toBeNull();
    } finally {
      platform.queue.stats = stats;
    }
    platform.clock.advance(QUEUE_STATS_TTL_MS);
    expect((await (await get(PATH, admin)).json()).queue.error).toBeNull();
  });
});
