/** Browser sessions: httpOnly cookies, and CSRF protection for writes that rely on them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

describe('browser session cookies', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const jar = new Map<string, string>();

  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair.split('=');
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const browser = async (method: string, path: string, options: { body?: unknown; csrf?: boolean } = {}) =>
    remember(
      await app.request(path, {
        method,
        headers: {
          cookie: cookieHeader(),
          'content-type': 'application/json',
          ...(options.csrf ? { 'x-csrf-token': jar.get('tw_csrf') ?? '' } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      }),
    );

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Browser' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@browser.test', password: 'browser-password', role: 'owner' });
  });
  afterAll(() => platform.close());

  it('sets httpOnly, Secure, SameSite session cookies at login', async () => {
    const res = await browser('POST', '/api/v1/auth/login', { body: { email: 'owner@browser.test', password: 'browser-password' } });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('tw_access='))).toMatch(/HttpOnly.*Secure.*SameSite=Lax|SameSite=Lax.*HttpOnly|HttpOnly/);
    for (const name of ['tw_access', 'tw_refresh']) {
      const cookie = cookies.find((c) => c.startsWith(`${name}=`))!;
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('Secure');
      expect(cookie).toMatch(/SameSite=(Lax|Strict)/);
    }
    expect(cookies.find((c) => c.startsWith('tw_csrf='))).not.toContain('HttpOnly');
    expect((await browser('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it('refuses cookie-authenticated writes without the CSRF header', async () => {
    const forged = await browser('POST', '/api/v1/vehicles', { body: { plate: 'CSRF1' } });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.message).toContain('X-CSRF-Token');
    expect((await browser('POST', '/api/v1/vehicles', { body: { plate: 'CSRF1' }, csrf: true })).status).toBe(201);
  });

  it('refreshes and logs out from the cookie, with the CSRF header', async () => {
    const oldAccess = jar.get('tw_access');
    expect((await app.request('/api/v1/auth/refresh', { method: 'POST', headers: { cookie: cookieHeader() } })).status).toBe(403);
    const refreshed = await browser('POST', '/api/v1/auth/refresh', { csrf: true });
    expect(refreshed.status).toBe(200);
    expect(jar.get('tw_access')).not.toBe(oldAccess);
    expect((await browser('POST', '/api/v1/auth/logout', { csrf: true })).status).toBe(204);
    expect(jar.has('tw_access')).toBe(false);
  });
});
