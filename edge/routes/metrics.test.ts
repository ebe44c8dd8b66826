/** GET /metrics: who may read it, and that requests, fixes, frames, jobs, the queue and live viewers move it exactly. */
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../e2e/support/prometheus-text.ts';
import { collectSse } from '../../e2e/support/sse-client.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';
import { LATENCY_BUCKETS, QUEUE_STATS_TTL_MS } from '../observability/app-metrics.ts';
import { publishRaw } from '../../e2e/support/publish-raw.ts';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe('GET /metrics', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let owner: string;
  let deviceKey: string;
  const vehicles: string[] = [];
  const get = (path: string, token?: string) => app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const scrape = async () => {
    const res = await get('/metrics', METRICS_TOKEN);
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };
  const fixAt = (seconds: number) => ({ latitude: 40.4 + seconds / 10_000, longitude: -3.7, speed: 20, timestamp: new Date(platform.clock.now() - 600_000 + seconds * 1000).toISOString() });
  const sendFixes = (fixes: unknown[]) =>
    app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });

  beforeAll(async () => {
    platform = await createTestPlatform({ METRICS_TOKEN });
    app = createApp(platform, { live: { heartbeatMs: 50, maxDurationMs: 10_000 } });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Metrics' })).id;
    await createUser(deps, { fleetId: null, email: 'admin@metrics.test', password: 'metrics-password-1', role: 'admin' });
    await createUser(deps, { fleetId, email: 'owner@metrics.test', password: 'metrics-password-1', role: 'owner' });
    admin = await loginForTest(app, platform.clock, 'admin@metrics.test', 'metrics-password-1');
    owner = await loginForTest(app, platform.clock, 'owner@metrics.test', 'metrics-password-1');
    for (const plate of ['MT-1', 'MT-2']) vehicles.push((await createVehicle(deps, { fleetId, plate })).id);
    deviceKey = (await createDevice(deps, { vehicleId: vehicles[0] })).key;
  });
  afterAll(() => platform.close());

  it('answers platform admins and the scrape token, and nobody else', async () => {
    const anonymous = await get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await get('/metrics', 'not-the-scrape-token-at-all')).status).toBe(401);
    const forbidden = await get('/metrics', owner);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'forbidden' } });

    for (const token of [admin, METRICS_TOKEN]) {
      const res = await get('/metrics', token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const parsed = parseExposition(await res.text());
      expect(parsed.types.get('taxiwatch_http_requests_total')).toBe('counter');
      expect(parsed.types.get('taxiwatch_http_request_duration_seconds')).toBe('histogram');
      expect(parsed.value('taxiwatch_info', { runtime: 'test' })).toBe(1);
      // Node measures its event loop: this process's share, so only the range is checked.
      expect(parsed.types.get('taxiwatch_event_loop_utilization')).toBe('gauge');
      const busy = parsed.value('taxiwatch_event_loop_utilization');
      expect(busy).toBeGreaterThanOrEqual(0);
      expect(busy).toBeLessThanOrEqual(1);
    }
  });

  it('takes a METRICS_TOKEN of at least 16 characters only', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'too-short' })).toThrow(/METRICS_TOKEN.*at least 16 characters/s);
    expect(loadConfig({ METRICS_TOKEN }).METRICS_TOKEN).toBe(METRICS_TOKEN);
  });

  it('refuses the scrape token when none is configured', async () => {
    const bare = await createTestPlatform();
    try {
      expect((await createApp(bare).request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(401);
    } finally {
      await bare.close();
    }
  });

  it('counts requests by route pattern and status class, exactly, with cumulative latency buckets', async () => {
    const route = '/api/v1/vehicles/:id';
    const before = await scrape();
    const N = 7;
    for (let i = 0; i < N; i++) expect((await get(`/api/v1/vehicles/${vehicles[i % 2]}`, owner)).status).toBe(200);
    expect((await get(`/api/v1/vehicles/${vehicles[0]}`)).status).toBe(401);
    expect((await get('/no/such/page/12345')).status).toBe(404);
    const after = await scrape();

    const count = (p: ReturnType<typeof parseExposition>, status_class: string) => p.value('taxiwatch_http_requests_total', { method: 'GET', route, status_class });
    expect(count(after, '2xx') - count(before, '2xx')).toBe(N);
    // A guard that refuses the request still labels it with the route it was heading to.
    expect(count(after, '4xx') - count(before, '4xx')).toBe(1);
    const unmatched = (p: ReturnType<typeof parseExposition>) => p.value('taxiwatch_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' });
    expect(unmatched(after) - unmatched(before)).toBe(1);
    // Two ids, one series: no label carries a raw URL.
    expect(after.samples.some((s) => Object.values(s.labels).some((v) => vehicles.some((id) => v.includes(id)) || v.includes('12345')))).toBe(false);

    const histogram = { method: 'GET', route };
    const buckets = after.all('taxiwatch_http_request_duration_seconds_bucket', histogram);
    expect(buckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
    const total = after.value('taxiwatch_http_request_duration_seconds_count', histogram);
    expect(buckets.at(-1)!.value).toBe(total);
    expect(total - before.value('taxiwatch_http_request_duration_seconds_count', histogram)).toBe(N + 1);
    expect(after.value('taxiwatch_http_request_duration_seconds_sum', histogram)).toBeGreaterThan(0);
  });

  it('counts fixes stored, duplicate and rejected', async () => {
    const fixes = (p: ReturnType<typeof parseExposition>, outcome: string) => p.value('taxiwatch_fixes_total', { outcome });
    const before = await scrape();
    const batch = [0, 1, 2, 3, 4].map(fixAt);
    expect(await (await sendFixes(batch)).json()).toEqual({ stored: 5, duplicates: 0 });
    expect(await (await sendFixes([...batch.slice(0, 2), fixAt(5)])).json()).toEqual({ stored: 1, duplicates: 2 });
    expect((await sendFixes([fixAt(6), { latitude: 'north' }, fixAt(7)])).status).toBe(400);
    const after = await scrape();
    expect(fixes(after, 'stored') - fixes(before, 'stored')).toBe(6);
    expect(fixes(after, 'duplicate') - fixes(before, 'duplicate')).toBe(2);
    expect(fixes(after, 'rejected') - fixes(before, 'rejected')).toBe(3);
  });

  it('counts frames stored, duplicate and rejected', async () => {
    const pixels = new Uint8Array(16 * 16 * 4).fill(128);
    const image = new Uint8Array(jpeg.encode({ data: pixels, width: 16, height: 16 }, 80).data);
    const upload = (body: Uint8Array<ArrayBuffer>) =>
      app.request('/api/v1/video/frames/upload?captured_at=2026-06-01T07:59:00Z', { method: 'POST', headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'image/jpeg' }, body });
    const frames = (p: ReturnType<typeof parseExposition>, outcome: string) => p.value('taxiwatch_frames_total', { outcome });
    const before = await scrape();
    expect((await upload(image)).status).toBe(202);
    expect((await upload(image)).status).toBe(200);
    expect((await upload(image.slice(0, -2))).status).toBe(422);
    const after = await scrape();
    expect(['stored', 'duplicate', 'rejected'].map((o) => frames(after, o) - frames(before, o))).toEqual([1, 1, 1]);
  });

  it('reports the queue depth and dead letters from the queue, cached for a few seconds', async () => {
    const queued = (p: ReturnType<typeof parseExposition>, state: string) => p.value('taxiwatch_queue_jobs', { state });
    platform.clock.advance(QUEUE_STATS_TTL_MS);
    const before = await scrape();
    for (let i = 0; i < 3; i++) await platform.queue.enqueue('metrics-probe', { i }, { delayMs: 3_600_000 });
    expect(queued(await scrape(), 'queued')).toBe(queued(before, 'queued'));
    platform.clock.advance(QUEUE_STATS_TTL_MS);
    const after = await scrape();
    expect(queued(after, 'queued') - queued(before, 'queued')).toBe(3);
    expect(queued(after, 'queued')).toBe((await platform.queue.stats()).queued);
    expect(queued(after, 'dead')).toBe((await platform.queue.stats()).dead);
  });

  it('counts job runs by name and outcome', async () => {
    const runs = (p: ReturnType<typeof parseExposition>, job: string, outcome: string) => p.value('taxiwatch_job_runs_total', { job, outcome });
    const handlers = jobHandlers(platform);
    const before = await scrape();
    await handlers['purge-finished-jobs']({ olderThanDays: 7 }, { jobId: 'probe-1', attempt: 1 });
    await expect(handlers['deliver-webhook']({ nothing: true }, { jobId: 'probe-2', attempt: 1 })).rejects.toThrow();
    const after = await scrape();
    expect(runs(after, 'purge-finished-jobs', 'succeeded') - runs(before, 'purge-finished-jobs', 'succeeded')).toBe(1);
    expect(runs(after, 'deliver-webhook', 'failed') - runs(before, 'deliver-webhook', 'failed')).toBe(1);
  });

  it('counts live viewers while they are connected, and the events delivered to them', async () => {
    const viewers = async () => (await scrape()).value('taxiwatch_live_viewers');
    const delivered = async () => (await scrape()).value('taxiwatch_live_events_delivered_total');
    expect(await viewers()).toBe(0);
    const first = collectSse(await get('/api/v1/live', owner));
    const second = collectSse(await get('/api/v1/live', admin));
    await Promise.all([first.connected, second.connected]);
    expect(await viewers()).toBe(2);
    const deliveredBefore = await delivered();
    const fleetId = (await platform.db.kysely.selectFrom('vehicles').select('fleet_id').where('id', '=', vehicles[0]).executeTakeFirstOrThrow()).fleet_id;
    await publishRaw(platform.bus, fleetId, 'new_alert', { n: 1 });
    expect(await first.waitFor((e) => e.length >= 1, 3000)).toBe(true);
    expect(await second.waitFor((e) => e.length >= 1, 3000)).toBe(true);
    expect((await delivered()) - deliveredBefore).toBe(2);

    await first.close();
    await waitUntil(async () => (await viewers()) === 1);
    await second.close();
    await waitUntil(async () => (await viewers()) === 0);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
