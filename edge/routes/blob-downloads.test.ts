/** Signed blob downloads through the assembled app, on a Platform whose db and queue fail if touched. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryBlobs } from '../adapters/blobs/memory-blobs.ts';
import { createMemoryBus } from '../adapters/bus/memory-bus.ts';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createManualClock, type ManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { createApp } from '../app.ts';
import { loadConfig, publicUrl } from '../config.ts';
import { createBlobUrlSigner } from '../domain/blob-url-signer.ts';
import { createMemoryLogger } from '../observability/logger.ts';
import type { Platform } from '../platform.ts';

interface BlobTestPlatform extends Platform {
  clock: ManualClock;
}

/**
 * A port the route must never use. Other routes keep references to it when the app is assembled, so reading
 * properties works; calling anything reached through it throws, so a stray query fails the test instead of passing.
 */
function untouchable(path: string): never {
  const target = () => {};
  return new Proxy(target, {
    get(_, property) {
      // Promise resolution probes `then`; answering undefined keeps the object from looking thenable.
      if (property === 'then') return undefined;
      return untouchable(`${path}.${String(property)}`);
    },
    apply() {
      throw new Error(`blob downloads must not use ${path}()`);
    },
  }) as never;
}

function createBlobTestPlatform(): BlobTestPlatform {
  // Many requests come from one address within one frozen minute: rate limits have their own tests.
  const config = loadConfig({ RATE_LIMIT_PER_IP_PER_MINUTE: '1000000' });
  const clock = createManualClock('2026-06-01T08:00:00Z');
  const blobSigningSecret = 'blob-route-secret-blob-route-secret-0123';
  const signer = createBlobUrlSigner({ secret: blobSigningSecret, baseUrl: publicUrl(config), clock });
  return {
    config,
    db: untouchable('platform.db'),
    queue: untouchable('platform.queue'),
    resolver: untouchable('platform.resolver'),
    email: untouchable('platform.email'),
    cache: createMemoryCache(clock),
    bus: createMemoryBus(clock),
    blobs: createMemoryBlobs({ signer }),
    clock,
    ids: createUuidV7Ids(clock),
    log: createMemoryLogger().logger,
    blobSigningSecret,
    jwtSecret: '',
    runtime: 'test',
  };
}

const KEY = 'frames/v1/2026-06-01T08-00-00Z.jpg';
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 0x80, 0xfe, 0xff, 0xd9]);

describe('GET /api/v1/blobs/{key}', () => {
  let platform: BlobTestPlatform;
  let app: ReturnType<typeof createApp>;

  beforeEach(async () => {
    platform = createBlobTestPlatform();
    app = createApp(platform);
    await platform.blobs.put(KEY, jpeg, { contentType: 'image/jpeg' });
  });

  /** The signed link as a path + query, since app.request() needs no host. */
  const signed = async (key: string, seconds = 300) => {
    const url = new URL(await platform.blobs.signedUrl(key, { expiresInSeconds: seconds }));
    expect(url.origin).toBe(publicUrl(platform.config));
    return url.pathname + url.search;
  };

  const expectError = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({ error: { code, message: expect.any(String) }, requestId: expect.any(String) });
    return body as { error: { code: string; message: string } };
  };

  it('downloads the exact bytes with safe headers', async () => {
    const res = await app.request(await signed(KEY));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-length')).toBe(String(jpeg.length));
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe('inline');
  });

  it('caches only until the link expires', async () => {
    const path = await signed(KEY, 300);
    platform.clock.advance(120_000);
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=180');
  });

  it('downloads, never renders, types that could run script on this origin', async () => {
    await platform.blobs.put('reports/u/page.html', new TextEncoder().encode('<script>alert(1)</script>'), { contentType: 'text/html; charset=utf-8' });
    await platform.blobs.put('reports/u/r.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46]), { contentType: 'application/pdf' });
    const html = await app.request(await signed('reports/u/page.html'));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-disposition')).toBe('attachment; filename="page.html"');
    const pdf = await app.request(await signed('reports/u/r.pdf'));
    expect(pdf.headers.get('content-disposition')).toBe('inline');
  });

  it('refuses a tampered signature with 403 in the error shape', async () => {
    const path = await signed(KEY);
    const url = new URL(path, 'http://x');
    const signature = url.searchParams.get('signature')!;
    url.searchParams.set('signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
    const body = await expectError(await app.request(url.pathname + url.search), 403, 'forbidden');
    expect(body.error.message).toBe('signature does not match');
  });

  it('refuses a link whose expiry or key was changed', async () => {
    const url = new URL(await signed(KEY), 'http://x');
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    await expectError(await app.request(later.pathname + later.search), 403, 'forbidden');
    await platform.blobs.put('frames/v1/other.jpg', jpeg, { contentType: 'image/jpeg' });
    await expectError(await app.request(`/api/v1/blobs/frames/v1/other.jpg${url.search}`), 403, 'forbidden');
  });

  it('refuses an expired link with 403', async () => {
    const path = await signed(KEY, 10);
    platform.clock.advance(9_000);
    expect((await app.request(path)).status).toBe(200);
    platform.clock.advance(1_000);
    const body = await expectError(await app.request(path), 403, 'forbidden');
    expect(body.error.message).toContain('expired');
  });

  it.each([
    ['no parameters', ''],
    ['no signature', '?expires=9999999999'],
    ['no expiry', '?signature=abc'],
  ])('asks for a signed link when there is %s (401)', async (_, query) => {
    await expectError(await app.request(`/api/v1/blobs/${KEY}${query}`), 401, 'unauthorized');
  });

  it('answers 404 for a validly signed link to a missing blob', async () => {
    await expectError(await app.request(await signed('frames/v1/gone.jpg')), 404, 'not_found');
  });

  it.each([
    '/api/v1/blobs/..%2F..%2Fetc%2Fpasswd',
    '/api/v1/blobs/../../etc/passwd',
    '/api/v1/blobs/%2E%2E/%2E%2E/etc/passwd',
    '/api/v1/blobs/%252E%252E%252Fetc',
    '/api/v1/blobs/a%2F%2Fb',
    '/api/v1/blobs/%2Fetc%2Fpasswd',
    '/api/v1/blobs/%E0%A4%A',
    '/api/v1/blobs/',
  ])('answers %s with a 4xx JSON error, never 500', async (path) => {
    const res = await app.request(`${path}?expires=9999999999&signature=abc`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).error.code).toBeTruthy();
  });
});

describe('GET /api/v1/blobs/{key} without a signing secret', () => {
  it('is not served at all, so an empty HMAC key can never open a blob', async () => {
    const platform = createBlobTestPlatform();
    platform.blobSigningSecret = '';
    await platform.blobs.put('frames/v/x.jpg', new Uint8Array([1]));
    const res = await createApp(platform).request('/api/v1/blobs/frames/v/x.jpg?expires=9999999999&signature=abc');
    expect(res.status).toBe(404);
  });
});
