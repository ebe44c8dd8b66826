/** Fleets and users through the API: who may create whom, role changes, and the audit trail. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const password = 'people-password-123';

describe('fleets and users', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let owner: string;
  let fleetId: string;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    await createUser(deps, { fleetId: null, email: 'admin@people.test', password, role: 'admin' });
    admin = await loginForTest(app, platform.clock, 'admin@people.test', password);
    fleetId = (await createFleet(deps, { name: 'People' })).id;
    await createUser(deps, { fleetId, email: 'owner@people.test', password, role: 'owner' });
    owner = await loginForTest(app, platform.clock, 'owner@people.test', password);
  });
  afterAll(() => platform.close());

  it('lets only platform admins create fleets, and owners adjust their own', async () => {
    const created = await call('POST', '/api/v1/fleets', admin, { name: 'Radio Taxi Sur', timezone: 'America/Mexico_City', locale: 'es' });
    expect(created.status).toBe(201);
    expect((await call('POST', '/api/v1/fleets', owner, { name: 'Mine' })).status).toBe(403);
    const patched = await call('PATCH', `/api/v1/fleets/${fleetId}`, owner, { speed_limit_kmh: 60, timezone: 'Europe/Madrid' });
    expect(await patched.json()).toMatchObject({ speed_limit_kmh: 60, timezone: 'Europe/Madrid' });
    expect((await call('PATCH', `/api/v1/fleets/${fleetId}`, owner, { timezone: 'Nowhere/City' })).status).toBe(400);
    expect((await (await call('GET', '/api/v1/fleets', admin)).json()).data.length).toBe(2);
  });

  it('lets owners add and remove viewers but not owners; admins change roles, audited', async () => {
    const viewer = await call('POST', '/api/v1/users', owner, { email: 'viewer@people.test', password, role: 'viewer' });
    expect(viewer.status).toBe(201);
    const viewerId = (await viewer.json()).id;
    expect((await call('POST', '/api/v1/users', owner, { email: 'owner2@people.test', password, role: 'owner' })).status).toBe(403);
    expect((await call('POST', '/api/v1/users', owner, { email: 'viewer@people.test', password, role: 'viewer' })).status).toBe(409);
    expect((await call('PATCH', `/api/v1/users/${viewerId}`, owner, { role: 'owner' })).status).toBe(403);
    const promoted = await call('PATCH', `/api/v1/users/${viewerId}`, admin, { role: 'owner' });
    expect((await promoted.json()).role).toBe('owner');
    expect((await call('DELETE', `/api/v1/users/${viewerId}`, owner)).status).toBe(403);
    expect((await call('PATCH', `/api/v1/users/${viewerId}`, admin, { role: 'viewer' })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/users/${viewerId}`, owner)).status).toBe(204);
    const events = await platform.db.kysely.selectFrom('audit_log').select('event').where('event', 'in', ['user_created', 'role_changed', 'user_removed']).execute();
    expect(events.map((e) => e.event).sort()).toEqual(['role_changed', 'role_changed', 'user_created', 'user_removed']);
  });

  it('never shows platform admins in fleet user lists', async () => {
    const users = await (await call('GET', '/api/v1/users', admin)).json();
    expect(users.data.map((u: { role: string }) => u.role)).not.toContain('admin');
  });
});
