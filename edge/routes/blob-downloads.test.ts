/** Signed blob downloads through the assembled app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';

describe('GET /api/v1/blobs/{key}', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    await platform.blobs.put('frames/v1/2026-06-01T08-00-00Z.jpg', jpeg, { contentType: 'image/jpeg' });
  });
  afterAll(() => platform.close());

  const signed = async (key: string, seconds = 300) => {
    const url = new URL(await platform.blobs.signedUrl(key, { expiresInSeconds: seconds }));
    return url.pathname + url.search;
  };

  it('downloads the exact bytes with safe headers', async () => {
    const res = await app.request(await signed('frames/v1/2026-06-01T08-00-00Z.jpg'));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-length')).toBe(String(jpeg.length));
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a tampered signature with 403 in the error shape', async () => {
    const path = (await signed('frames/v1/2026-06-01T08-00-00Z.jpg')).replace(/signature=./, 'signature=Z');
    const res = await app.request(path);
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body).toMatchObject({ error: { code: 'forbidden', message: 'signature does not match' }, requestId: expect.any(String) });
  });

  it('refuses an expired link with 403', async () => {
    const path = await signed('frames/v1/2026-06-01T08-00-00Z.jpg', 10);
    platform.clock.advance(11_000);
    const res = await app.request(path);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('expired');
  });

  it('asks for a signed link when there is none', async () => {
    const res = await app.request('/api/v1/blobs/frames/v1/2026-06-01T08-00-00Z.jpg');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('answers 404 for a validly signed link to a missing blob', async () => {
    const res = await app.request(await signed('frames/v1/gone.jpg'));
    expect(res.status).toBe(404);
  });

  it.each(['/api/v1/blobs/..%2F..%2Fetc%2Fpasswd', '/api/v1/blobs/a%2F%2Fb', '/api/v1/blobs/%E0%A4%A'])('answers %s with a 4xx JSON error, never 500', async (path) => {
    const res = await app.request(`${path}?expires=9999999999&signature=abc`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).error.code).toBeTruthy();
  });
});

describe('GET /api/v1/blobs/{key} without a signing secret', () => {
  it('is not served at all, so an empty HMAC key can never open a blob', async () => {
    const platform = await createTestPlatform();
    try {
      platform.blobSigningSecret = '';
      await platform.blobs.put('frames/v/x.jpg', new Uint8Array([1]));
      const res = await createApp(platform).request('/api/v1/blobs/frames/v/x.jpg?expires=9999999999&signature=abc');
      expect(res.status).toBe(404);
    } finally {
      await platform.close();
    }
  });
});
