/** Integrator API keys: created once-visible by owners, scoped, revocable, with last use recorded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('API keys', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};

  const call = (method: string, path: string, auth: Record<string, string>, body?: unknown) =>
    app.request(path, { method, headers: { 'content-type': 'application/json', ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Keys' });
    await createVehicle(deps, { fleetId: fleet.id, plate: 'KEY1' });
    for (const [email, role] of [['owner@keys.test', 'owner'], ['viewer@keys.test', 'viewer']] as const) {
      await createUser(deps, { fleetId: fleet.id, email, password: 'keys-password-123', role });
      const res = await app.request('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'keys-password-123' }), headers: { 'content-type': 'application/json' } });
      tokens[role] = (await res.json()).access_token;
    }
  });
  afterAll(() => platform.close());

  it('is shown once, works within its scopes only, and records its last use', async () => {
    const created = await call('POST', '/api/v1/api-keys', bearer(tokens.owner), { name: 'ERP', scopes: ['read:vehicles'] });
    expect(created.status).toBe(201);
    const key = await created.json();
    expect(key).toMatchObject({ name: 'ERP', scopes: ['read:vehicles'], key: expect.stringMatching(/^twk_/) });
    const listed = await (await call('GET', '/api/v1/api-keys', bearer(tokens.owner))).json();
    expect(JSON.stringify(listed)).not.toContain(key.key);

    const read = await call('GET', '/api/v1/vehicles', { 'x-api-key': key.key });
    expect(read.status).toBe(200);
    expect((await read.json()).data).toHaveLength(1);
    expect((await call('GET', '/api/v1/vehicles', bearer(key.key))).status).toBe(200);
    const write = await call('POST', '/api/v1/vehicles', bearer(key.key), { plate: 'NOPE' });
    expect(write.status).toBe(403);
    expect((await write.json()).error.message).toContain('write:vehicles');
    expect((await call('GET', '/api/v1/drivers', bearer(key.key))).status).toBe(403);
    expect((await call('GET', '/api/v1/api-keys', bearer(key.key))).status).toBe(403);

    const row = await platform.db.kysely.selectFrom('api_keys').select('last_used_at').where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(row.last_used_at?.toISOString()).toBe(new Date(platform.clock.now()).toISOString());

    expect((await call('DELETE', `/api/v1/api-keys/${key.id}`, bearer(tokens.owner))).status).toBe(204);
    const revoked = await call('GET', '/api/v1/vehicles', bearer(key.key));
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.details).toEqual({ reason: 'api_key_invalid' });
  });

  it('refuses unknown scopes, viewers and keys creating keys', async () => {
    expect((await call('POST', '/api/v1/api-keys', bearer(tokens.owner), { scopes: ['root'] })).status).toBe(400);
    expect((await call('POST', '/api/v1/api-keys', bearer(tokens.owner), { scopes: [] })).status).toBe(400);
    expect((await call('POST', '/api/v1/api-keys', bearer(tokens.viewer), { scopes: ['read:vehicles'] })).status).toBe(403);
    const key = (await (await call('POST', '/api/v1/api-keys', bearer(tokens.owner), { scopes: ['read:vehicles', 'write:vehicles'] })).json()).key;
    expect((await call('POST', '/api/v1/api-keys', bearer(key), { scopes: ['read:vehicles'] })).status).toBe(403);
    expect((await call('POST', '/api/v1/vehicles', bearer(key), { plate: 'KEY2' })).status).toBe(201);
    expect((await call('GET', '/api/v1/vehicles', bearer('twk_not-a-real-key'))).status).toBe(401);
  });
});
