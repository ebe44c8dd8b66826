/** The OpenAPI document covers every public route of the app, built from the routes' own zod schemas. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';

describe('OpenAPI document', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let document: { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> } }>> };

  beforeAll(async () => {
    // QStash settings so its job endpoints are registered and must be documented too.
    platform = await createTestPlatform({ PUBLIC_URL: 'https://tw.example', QSTASH_TOKEN: 't', QSTASH_CURRENT_SIGNING_KEY: 'a', QSTASH_NEXT_SIGNING_KEY: 'b' });
    app = createApp(platform);
    document = await (await app.request('/api/v1/openapi.json')).json();
  });
  afterAll(() => platform.close());

  it('is OpenAPI 3.1 and lists every route the app serves', () => {
    expect(document.openapi).toBe('3.1.0');
    const served = app.routes.filter((r) => ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method) && r.path.startsWith('/api'));
    expect(served.length).toBeGreaterThan(25);
    for (const route of served) {
      const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{key}');
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('describes request bodies from the same schemas the routes validate with', () => {
    const login = document.paths['/api/v1/auth/login'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(login.properties)).toEqual(['email', 'password']);
    const vehicle = document.paths['/api/v1/vehicles'].post.requestBody!.content['application/json'].schema;
    expect(vehicle.required).toContain('plate');
  });

  it('serves a readable docs page', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/api/v1/vehicles/{id}');
    expect(html).toContain('Log in with email and password');
  });
});
