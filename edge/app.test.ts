/** The assembled app's cross-cutting behaviour: health, request ids, structured logs and the error shape. */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { createApp } from './app.ts';
import { AppError } from './errors.ts';
import { handleError } from './middleware/error-handler.ts';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';

describe('createApp', () => {
  let platform: TestPlatform;
  let app: Hono<AppEnv>;

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    // Routes that fail on purpose, to exercise the one error handler from the outside.
    app.get('/__test/app-error', () => {
      throw new AppError('rate_limited', 'slow down', { details: { limit: 10 }, retryAfterSeconds: 7 });
    });
    app.get('/__test/crash', () => {
      throw new Error('secret internal detail');
    });
    app.post('/__test/json', async (c) => {
      const body = z.object({ plate: z.string().min(1) }).parse(await c.req.json());
      return c.json(body);
    });
  });
  afterAll(() => platform.close());

  it.each(['/api/v1/health', '/api/v1/health/'])('GET %s reports every component green', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String), failing: [] });
    for (const [name, adapter] of [['db', 'pglite'], ['cache', 'memory'], ['bus', 'memory'], ['queue', 'db-queue'], ['blobs', 'memory']]) {
      expect(body.components[name]).toMatchObject({ status: 'ok', adapter, latency_ms: expect.any(Number) });
    }
  });

  it('answers 503 naming the component that is down', async () => {
    const original = platform.blobs.ping;
    platform.blobs.ping = async () => {
      throw new Error('disk unplugged');
    };
    try {
      const res = await app.request('/api/v1/health');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.failing).toEqual(['blobs']);
      expect(body.components.blobs).toMatchObject({ status: 'down', error: 'disk unplugged' });
      expect(body.components.db.status).toBe('ok');
    } finally {
      platform.blobs.ping = original;
    }
  });

  it('echoes a sane incoming request id and logs it on the access line', async () => {
    const res = await app.request('/api/v1/health', { headers: { 'X-Request-Id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    const line = platform.logLines.findLast((l) => l.msg === 'request');
    expect(line).toMatchObject({ requestId: 'trace-abc-123', method: 'GET', path: '/api/v1/health', status: 200 });
  });

  it('replaces an unsafe request id with a fresh one', async () => {
    const res = await app.request('/api/v1/health', { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await app.request('/api/v1/nope');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'not_found', message: 'no route for GET /api/v1/nope', details: null },
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('maps AppError codes to statuses, with Retry-After for 429', async () => {
    const res = await app.request('/__test/app-error');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await res.json()).error).toEqual({ code: 'rate_limited', message: 'slow down', details: { limit: 10 } });
  });

  it('hides internal errors behind a 500 and logs them with the request id', async () => {
    const res = await app.request('/__test/crash');
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
    expect(body.error.code).toBe('internal');
    const logged = platform.logLines.find((l) => l.msg === 'request failed' && l.requestId === body.requestId);
    expect(JSON.stringify(logged)).toContain('secret internal detail');
  });

  it('turns malformed JSON into 400 bad_request and schema failures into 400 validation_failed', async () => {
    const malformed = await app.request('/__test/json', { method: 'POST', body: '{"plate":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('bad_request');
    const invalid = await app.request('/__test/json', { method: 'POST', body: '{"plate":""}', headers: { 'content-type': 'application/json' } });
    expect(invalid.status).toBe(400);
    const body = await invalid.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details[0].path).toBe('plate');
  });

  it('formats errors even without the request-id middleware', async () => {
    const bare = new Hono<AppEnv>();
    bare.onError(handleError);
    bare.get('/', () => {
      throw new AppError('conflict', 'exists');
    });
    const res = await bare.request('/');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'conflict', message: 'exists', details: null }, requestId: null });
  });
});
