/** Integrator API keys expire (90 days unless told otherwise) and rotate: a new key, the old one working for a grace period. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('API key expiry and rotation', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Keys' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@rotate.test', password: 'rotate-password-1', role: 'owner' });
    owner = await loginForTest(app, platform.clock, 'owner@rotate.test', 'rotate-password-1');
  });
  afterAll(() => platform.close());

  it('expires new keys after 90 days by default, or when told, or never', async () => {
    const now = platform.clock.now();
    const byDefault = await (await call('POST', '/api/v1/api-keys', owner, { scopes: ['read:vehicles'] })).json();
    expect(byDefault.expires_at).toBe(new Date(now + 90 * DAY).toISOString());
    const short = await (await call('POST', '/api/v1/api-keys', owner, { scopes: ['read:vehicles'], expires_in_days: 1 })).json();
    const forever = await (await call('POST', '/api/v1/api-keys', owner, { scopes: ['read:vehicles'], expires_in_days: null })).json();
    expect(forever.expires_at).toBeNull();
    expect((await call('POST', '/api/v1/api-keys', owner, { scopes: ['read:vehicles'], expires_in_days: 0 })).status).toBe(400);
    platform.clock.advance(DAY);
    const expired = await call('GET', '/api/v1/vehicles', short.key);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.details.reason).toBe('api_key_expired');
    expect((await call('GET', '/api/v1/vehicles', forever.key)).status).toBe(200);
    platform.clock.advance(-DAY);
  });

  it('rotates: a new key at once, the old one for the grace period only, and only once', async () => {
    const old = await (await call('POST', '/api/v1/api-keys', owner, { name: 'ERP', scopes: ['read:vehicles', 'read:reports'] })).json();
    const res = await call('POST', `/api/v1/api-keys/${old.id}/rotate`, owner, { grace_hours: 2 });
    expect(res.status).toBe(201);
    const fresh = await res.json();
    expect(fresh).toMatchObject({ name: 'ERP', scopes: ['read:reports', 'read:vehicles'], replaces: old.id, key: expect.stringMatching(/^twk_/), replaced_key_expires_at: new Date(platform.clock.now() + 2 * HOUR).toISOString() });
    expect(fresh.key).not.toBe(old.key);
    expect((await call('GET', '/api/v1/vehicles', old.key)).status).toBe(200);
    expect((await call('GET', '/api/v1/vehicles', fresh.key)).status).toBe(200);
    const again = await call('POST', `/api/v1/api-keys/${old.id}/rotate`, owner);
    expect(again.status).toBe(409);
    expect((await again.json()).error.details.replaced_by).toBe(fresh.id);
    const listed = (await (await call('GET', '/api/v1/api-keys', owner)).json()).data;
    expect(listed.find((k: { id: string }) => k.id === old.id)).toMatchObject({ replaced_by: fresh.id });
    platform.clock.advance(2 * HOUR);
    owner = await loginForTest(app, platform.clock, 'owner@rotate.test', 'rotate-password-1'); // access tokens are short-lived
    expect((await call('GET', '/api/v1/vehicles', old.key)).status).toBe(401);
    expect((await call('GET', '/api/v1/vehicles', fresh.key)).status).toBe(200);
    expect((await call('POST', `/api/v1/api-keys/${fresh.id}/rotate`, owner, '{not json')).status).toBe(400);
    expect((await call('POST', `/api/v1/api-keys/${fresh.id}/rotate`, owner, { grace_hours: 9999 })).status).toBe(400);
    expect((await call('POST', `/api/v1/api-keys/${fresh.id}/rotate`, fresh.key)).status).toBe(403);
  });
});
