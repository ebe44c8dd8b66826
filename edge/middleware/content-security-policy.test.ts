/** The security headers of the web app's pages: the policy each kind of page gets, and the inline script it allows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createMemoryAssets } from '../adapters/assets/memory-assets.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { scriptHash, webAppPolicy } from './content-security-policy.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-T.js', 'app.css': '/assets/app-T.css' } };

/** The directives of a policy, by name. */
const directives = (policy: string | null) => new Map((policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));

describe('content security policy', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST), 'assets/main-T.js': 'export {}' }) });
  });
  afterAll(() => platform.close());

  it('gives the app pages a same-origin policy with no inline script or style, and forbids framing', async () => {
    const res = await app.request('/login');
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // The page's own markup keeps to it: the islands' code is an external module, their data a JSON block.
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*(\bsrc=|type="application\/json"))/);
    expect(html).not.toMatch(/\son[a-z]+="/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('allows the offline page exactly its one inline script, by hash', async () => {
    const res = await app.request('/offline');
    const html = await res.text();
    const script = html.match(/<script>(.*?)<\/script>/s)![1];
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual([await scriptHash(script)]);
    expect(html).not.toMatch(/\sonclick=/);
  });

  it('lets a route keep the policy it set (API docs: inline styles, no script at all)', async () => {
    const csp = directives((await app.request('/api/docs')).headers.get('content-security-policy'));
    expect(csp.get('script-src')).toBeUndefined();
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows images from a local http tile server or object store that is configured, and no other http origin', () => {
    const local = directives(webAppPolicy(loadConfig({ WEB_MAP_TILE_URL: 'http://{s}.tiles.local:8080/{z}/{x}/{y}.png', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' })));
    expect(local.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https:', 'http://*.tiles.local:8080', 'http://127.0.0.1:9000']);
    expect(directives(webAppPolicy(loadConfig({}))).get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https:']);
  });
});
