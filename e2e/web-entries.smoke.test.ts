/**
 * The web app from each local runtime entry (Node, Deno): the entries hand the app web/dist from disk, pages render
 * with the built scripts, and the hashed files are served. (Workers serve web/dist through wrangler's [assets].)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../web/build.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from './support/spawn-server.ts';

const bin = (name: string) => join(process.cwd(), 'node_modules/.bin', name);

describe.each(['node', 'deno'] as const)('web app from the %s entry', (runtime) => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    // The entries read web/dist, where `npm run build:web` writes; building again only replaces hashed files.
    await buildWeb({ quiet: true });
    dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-web-smoke-'));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, DEMO_DATA: 'false', LOG_LEVEL: 'warn', DATABASE_URL: undefined, REDIS_URL: undefined };
    server =
      runtime === 'node'
        ? startProcess(bin('tsx'), ['edge/runtime/node.ts'], env, port)
        : startProcess(bin('deno'), ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-write', '--allow-sys', 'edge/runtime/deno.ts'], env, port);
    await waitForHttp(`${server.url}/api/v1/health/`, server, 90_000);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('renders the login page with the built scripts and serves them', async () => {
    const res = await fetch(`${server.url}/login`, { headers: { 'accept-language': 'es' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Iniciar sesión');
    expect(html).not.toContain('role="note"');
    const script = html.match(/<script type="module" src="(\/assets\/main-[A-Z0-9]+\.js)">/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await asset.text()).length).toBeGreaterThan(500);
    expect((await fetch(`${server.url}/map`, { redirect: 'manual' })).headers.get('location')).toBe('/login?next=%2Fmap');
  });
});
