/**
 * Figures for the web app (not a timed test): the gzipped island JavaScript of the owner's main page (/map) from a
 * fresh build, and first paint / first contentful paint of /map on loopback in headless Chromium (performance
 * paint timing), median and worst of several loads of a signed-in owner's map with 50 taxis.
 * `npx tsx web/measure-web.ts [--loads 15] [--taxis 50]`
 */
import { serve } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createDiskAssets } from '../edge/adapters/assets/disk-assets.ts';
import { createApp } from '../edge/app.ts';
import { loadConfig } from '../edge/config.ts';
import { createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { createLocalPlatform } from '../edge/runtime/local-platform.ts';
import { buildWeb, MAIN_PAGE_JS_BUDGET_BYTES } from './build.ts';

const { values } = parseArgs({ options: { loads: { type: 'string', default: '15' }, taxis: { type: 'string', default: '50' } } });
const loads = Number(values.loads);
const taxis = Number(values.taxis);
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const work = await mkdtemp(join(tmpdir(), 'tw-measure-web-'));
const built = await buildWeb({ outdir: join(work, 'dist'), quiet: true });
const platform = await createLocalPlatform(loadConfig({ DATA_DIR: join(work, 'data'), DEMO_DATA: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP_PER_MINUTE: '100000' }), 'node');
const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
const fleet = await createFleet(deps, { name: 'Measure', timezone: 'Europe/Madrid', locale: 'es' });
await createUser(deps, { fleetId: fleet.id, email: 'owner@measure.test', password: 'measure-pass-123', role: 'owner' });
for (let i = 0; i < taxis; i++) await createVehicle(deps, { fleetId: fleet.id, plate: `${String(1000 + i)}MSR` });
const app = createApp(platform, { webAssets: createDiskAssets(pathToFileURL(join(work, 'dist/'))) });
const server = await new Promise<{ port: number; close(): void }>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() }));
});
const url = `http://127.0.0.1:${server.port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const login = await context.request.post(`${url}/api/v1/auth/login`, { data: { email: 'owner@measure.test', password: 'measure-pass-123' } });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
  const samples: Array<{ fp: number; fcp: number }> = [];
  for (let i = 0; i <= loads; i++) {
    const page = await context.newPage();
    await page.goto(`${url}/map`, { waitUntil: 'load' });
    if (!page.url().endsWith('/map')) throw new Error(`expected the signed-in map, got ${page.url()}`);
    // Paint entries are recorded once the browser has painted, which on a busy machine can be frames after 'load':
    // wait until first-paint is there (buffered: entries from before the observer count), at most 10 s.
    const paint = await page.evaluate(
      () =>
        // No named functions inside: the page does not have the helper tsx adds to name them.
        new Promise<Record<string, number>>((resolve) => {
          new PerformanceObserver(() => {
            if (performance.getEntriesByName('first-paint').length > 0) resolve(Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime])));
          }).observe({ type: 'paint', buffered: true });
          setTimeout(() => resolve(Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]))), 10_000);
        }),
    );
    if (paint['first-paint'] === undefined) throw new Error(`Chromium reported no paint timing: ${JSON.stringify(paint)}`);
    if (i > 0) samples.push({ fp: paint['first-paint'], fcp: paint['first-contentful-paint'] }); // the first load warms caches
    await page.close();
  }
  // Chromium sometimes reports first-paint without first-contentful-paint for a load: those samples are left out.
  const stats = (xs: Array<number | undefined>) => {
    const sorted = xs.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    if (sorted.length === 0) return 'not reported';
    return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, worst ${sorted.at(-1)!.toFixed(0)} ms`;
  };
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`island JavaScript for /map: ${kb(built.mainPageGzipBytes)} gzipped in ${built.mainPageFiles.length} files (budget ${kb(MAIN_PAGE_JS_BUDGET_BYTES)})`);
  console.log(`first paint of /map on loopback (${taxis} taxis, phone viewport, ${loads} loads): ${stats(samples.map((s) => s.fp))}`);
  console.log(`first contentful paint: ${stats(samples.map((s) => s.fcp))}  (target: first paint <= 1000 ms)`);
} finally {
  await browser.close();
  server.close();
  await platform.close();
  await rm(work, { recursive: true, force: true });
}
