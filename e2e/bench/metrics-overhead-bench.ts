/**
 * Measures what metrics cost (a measurement, not a test): CPU per request of a Hono app with and without the HTTP
 * metrics middleware (60 parameterised routes, interleaved rounds, median), and the time to render /metrics with
 * every one of those routes' series populated.
 *
 *   npx tsx e2e/bench/metrics-overhead-bench.ts [--requests 60000] [--rounds 8]
 */
import { parseArgs } from 'node:util';
import { Hono } from 'hono';
import { createAppMetrics } from '../../edge/observability/app-metrics.ts';
import { httpMetrics } from '../../edge/observability/http-metrics.ts';
import type { Platform } from '../../edge/platform.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '60000' }, rounds: { type: 'string', default: '8' } } });
const N = Number(values.requests);
const ROUNDS = Number(values.rounds);
const ROUTES = 60;

const platform = {
  metrics: createAppMetrics({ now: () => Date.now() }),
  runtime: 'node',
  queue: { adapter: 'bench', stats: async () => ({ queued: 3, running: 1, dead: 0 }) },
} as unknown as Platform;

function build(withMetrics: boolean) {
  const app = new Hono();
  if (withMetrics) app.use('*', httpMetrics(platform));
  app.use('/api/*', async (_c, next) => next());
  for (let r = 0; r < ROUTES; r++) app.get(`/api/v1/r${r}/:id`, (c) => c.text('ok'));
  return app;
}

/** CPU microseconds per request (user + system), which the machine's other load disturbs less than wall time. */
async function cpuPerRequest(app: Hono, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await app.request(`/api/v1/r${i % ROUTES}/${i}`);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const plain = build(false);
const measured = build(true);
await cpuPerRequest(plain, 5000);
await cpuPerRequest(measured, 5000);
const without: number[] = [];
const withMetrics: number[] = [];
for (let k = 0; k < ROUNDS; k++) {
  without.push(await cpuPerRequest(plain, N));
  withMetrics.push(await cpuPerRequest(measured, N));
}
const a = median(without);
const b = median(withMetrics);
console.log(`CPU per request (median of ${ROUNDS} rounds of ${N}): ${a.toFixed(2)} µs without metrics, ${b.toFixed(2)} µs with, +${(b - a).toFixed(2)} µs`);

const registry = platform.metrics!.registry;
const renders: number[] = [];
let text = '';
for (let i = 0; i < 50; i++) {
  const started = performance.now();
  text = await registry.render(platform);
  renders.push(performance.now() - started);
}
console.log(`/metrics render: ${text.split('\n').length - 1} lines, ${(text.length / 1024).toFixed(1)} KiB, median ${median(renders).toFixed(2)} ms`);
