/** The installable app's routes through app.request: manifest, service worker and offline page; pages link them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';

const FILES = { 'main.js': '/assets/main-T1.js', 'app.css': '/assets/app-T1.css', 'sw.js': '/assets/sw-ABC123.js', 'icon-192.png': '/assets/icon-192-X.png', 'icon-512.png': '/assets/icon-512-X.png', 'icon.svg': '/assets/icon-X.svg' };

describe('installable web app', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify({ files: FILES }), 'assets/sw-ABC123.js': 'self.addEventListener("fetch",()=>{});' }) });
  });
  afterAll(() => platform.close());

  it('serves a web app manifest a browser can install: standalone, starting on the map, with 192 and 512 px icons', async () => {
    const res = await app.request('/manifest.webmanifest', { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = await res.json();
    expect(manifest).toMatchObject({ name: 'TaxiWatch', short_name: 'TaxiWatch', start_url: '/map', scope: '/', display: 'standalone', theme_color: '#0f172a', lang: 'en' });
    expect(manifest.icons).toEqual(
      expect.arrayContaining([
        { src: FILES['icon-192.png'], sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: FILES['icon-512.png'], sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ]),
    );
  });

  it('serves the service worker from the root with this build’s shell, never cached', async () => {
    const res = await app.request('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(res.headers.get('service-worker-allowed')).toBe('/');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const script = await res.text();
    const shell = JSON.parse(script.match(/^const TW_SHELL = (.*);$/m)![1]);
    expect(shell).toEqual({ version: 'ABC123', urls: [FILES['main.js'], FILES['app.css'], FILES['icon-192.png'], FILES['icon.svg']], offline: '/offline' });
    expect(script).toContain('self.addEventListener("fetch"');
  });

  it('serves the offline page in the reader’s language, saying it is reconnecting', async () => {
    const es = await (await app.request('/offline', { headers: { 'accept-language': 'es-ES' } })).text();
    expect(es).toContain('<html lang="es">');
    expect(es).toContain('Reconectando…');
    expect(es).toContain(`<link rel="stylesheet" href="${FILES['app.css']}">`);
    const en = await (await app.request('/offline', { headers: { cookie: 'tw_lang=en' } })).text();
    expect(en).toContain('No connection to the server. Reconnecting…');
  });

  it('links the manifest and the icons from every page', async () => {
    const html = await (await app.request('/login')).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>');
    expect(html).toContain(`<link rel="icon" href="${FILES['icon.svg']}"/>`);
    expect(html).toContain(`<link rel="apple-touch-icon" href="${FILES['icon-192.png']}"/>`);
  });

  it('says the service worker is missing when the web app is not built', async () => {
    const bare = createApp(platform, { webAssets: createMemoryAssets({}) });
    expect((await bare.request('/sw.js')).status).toBe(404);
  });
});
