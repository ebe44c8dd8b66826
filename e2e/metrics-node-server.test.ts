/**
 * Metrics over a real node:http server, as the Node entry serves them: a scraper with METRICS_TOKEN, and the live
 * viewer gauge following clients whose sockets close while the feed is written straight to them (node-sse.ts).
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../edge/app.ts';
import { createFleet, createUser } from '../edge/domain/provisioning.ts';
import { withDirectSse } from '../edge/runtime/node-sse.ts';
import { parseExposition } from './support/prometheus-text.ts';
import { collectSse } from './support/sse-client.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { loginForTest } from './support/test-sessions.ts';
import { publishRaw } from './support/publish-raw.ts';

const METRICS_TOKEN = 'node-scrape-token-0123456789';

describe('metrics on a real Node server', () => {
  let platform: TestPlatform;
  let server: ServerType;
  let base: string;
  let token: string;
  let fleetId: string;

  beforeAll(async () => {
    platform = await createTestPlatform({ METRICS_TOKEN });
    const app = createApp(platform, { live: { heartbeatMs: 60_000, maxDurationMs: 10_000 } });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Scraped' })).id;
    await createUser(deps, { fleetId, email: 'owner@scraped.test', password: 'scraped-pass-1', role: 'owner' });
    token = await loginForTest(app, platform.clock, 'owner@scraped.test', 'scraped-pass-1');
    server = serve({ fetch: withDirectSse(app.fetch), port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await platform.close();
  });

  const scrape = async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await res.text());
  };

  it('serves the scraper and refuses a wrong token', async () => {
    const refused = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('unauthorized');
    const before = (await scrape()).value('taxiwatch_http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' });
    const after = (await scrape()).value('taxiwatch_http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' });
    // A scrape is counted once it has answered, so the second one sees the first.
    expect(after - before).toBe(1);
  });

  it('counts viewers up while connected and down when their sockets close', async () => {
    const viewers = async () => (await scrape()).value('taxiwatch_live_viewers');
    const abort = [new AbortController(), new AbortController()];
    const feeds = await Promise.all(abort.map(async (controller) => collectSse(await fetch(`${base}/api/v1/live`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }))));
    await Promise.all(feeds.map((f) => f.connected));
    expect(await viewers()).toBe(2);
    await publishRaw(platform.bus, fleetId, 'new_alert', { n: 1 });
    for (const feed of feeds) expect(await feed.waitFor((e) => e.length === 1, 3000)).toBe(true);

    abort[0].abort();
    await waitUntil(async () => (await viewers()) === 1);
    abort[1].abort();
    await waitUntil(async () => (await viewers()) === 0);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
