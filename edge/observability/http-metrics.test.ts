/** The HTTP middleware's labels on a small app: pattern not URL, errors by their answered status, bounded methods. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import type { AppEnv } from '../app-env.ts';
import type { Platform } from '../platform.ts';
import { createAppMetrics } from './app-metrics.ts';
import { httpMetrics, UNMATCHED_ROUTE } from './http-metrics.ts';

function setup() {
  const metrics = createAppMetrics(createManualClock());
  const platform = { metrics } as unknown as Platform;
  const app = new Hono<AppEnv>();
  app.use('*', httpMetrics(platform));
  app.use('/things/*', async (c, next) => (c.req.header('x-block') ? c.json({ error: 'no' }, 403) : next()));
  app.get('/things/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/things/:id/boom', () => {
    throw new Error('handler bug');
  });
  app.on('PURGE', '/things/:id', (c) => c.text('purged'));
  app.onError((_error, c) => c.json({ error: 'internal' }, 500));
  return { app, metrics };
}

describe('httpMetrics', () => {
  it('labels by pattern, status class and a bounded method, and times every request', async () => {
    const { app, metrics } = setup();
    await app.request('/things/1');
    await app.request('/things/2');
    await app.request('/things/3', { headers: { 'x-block': '1' } });
    await app.request('/things/4/boom');
    await app.request('/things/5', { method: 'PURGE' });
    await app.request('/elsewhere');
    const count = (method: string, route: string, status_class: string) => metrics.httpRequests.get({ method, route, status_class });
    expect(count('GET', '/things/:id', '2xx')).toBe(2);
    expect(count('GET', '/things/:id', '4xx')).toBe(1);
    expect(count('GET', '/things/:id/boom', '5xx')).toBe(1);
    expect(count('OTHER', '/things/:id', '2xx')).toBe(1);
    expect(count('GET', UNMATCHED_ROUTE, '4xx')).toBe(1);
    expect(metrics.httpDuration.get({ method: 'GET', route: '/things/:id' }).count).toBe(3);
    // Only /api/ paths feed the console's recent API latency.
    expect(metrics.recentLatency.quantiles([0.5]).count).toBe(0);
    await app.request('/api/anything');
    expect(metrics.recentLatency.quantiles([0.5]).count).toBe(1);
  });
});
