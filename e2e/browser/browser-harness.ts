/**
 * Browser tests' harness: the web app built into a temporary folder, served by a real in-process Node server on
 * loopback (test platform: PGlite, memory bus), and Debian's Chromium driven by playwright-core.
 */
import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createDiskAssets } from '../../edge/adapters/assets/disk-assets.ts';
import { createApp } from '../../edge/app.ts';
import { buildWeb } from '../../web/build.ts';
import { requiredInCi } from '../support/required-in-ci.ts';
import { freePort } from '../support/spawn-server.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Whether Debian's Chromium is installed; in CI (CI=true) its absence fails the browser suites instead. */
export const hasChromium = requiredInCi(existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`, 'apt-get install -y chromium');
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface WebHarness {
  platform: TestPlatform;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `liveMaxDurationMs` ends every live stream that soon, to watch browsers reconnect; `env` adds configuration. */
export async function startWebHarness(options: { liveMaxDurationMs?: number; env?: Record<string, string> } = {}): Promise<WebHarness> {
  const outdir = await mkdtemp(join(tmpdir(), 'tw-web-'));
  await buildWeb({ outdir, quiet: true });
  // Frame download links are signed for the public URL, which must be where the browser finds this server.
  const port = await freePort();
  // No map tiles from the internet in tests: the grid (phone-app.test.ts turns OpenStreetMap's back on and answers
  // or refuses their requests itself).
  const platform = await createTestPlatform({ PUBLIC_URL: `http://127.0.0.1:${port}`, WEB_MAP_TILE_URL: 'none', ...options.env });
  const app = createApp(platform, { webAssets: createDiskAssets(pathToFileURL(`${outdir}/`)), live: { heartbeatMs: 2000, maxDurationMs: options.liveMaxDurationMs } });
  const server = await new Promise<{ port: number; close(): void }>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => resolve({ port: info.port, close: () => s.close() }));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  return {
    platform,
    url: `http://127.0.0.1:${server.port}`,
    browser,
    async close() {
      await browser.close();
      server.close();
      await platform.close();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
