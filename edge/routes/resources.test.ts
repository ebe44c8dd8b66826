/** Vehicles, drivers and devices through the API: CRUD, pagination, validation, key rotation and revocation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { hashDeviceKey } from '../domain/device-keys.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

describe('resource routes', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let admin: string;
  let fleetId: string;

  const call = async (method: string, path: string, body?: unknown, token = owner) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const login = (email: string) => loginForTest(app, platform.clock, email, 'resources-pass-123');

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Resources' })).id;
    await createUser(deps, { fleetId, email: 'owner@res.test', password: 'resources-pass-123', role: 'owner' });
    await createUser(deps, { fleetId: null, email: 'admin@res.test', password: 'resources-pass-123', role: 'admin' });
    owner = await login('owner@res.test');
    admin = await login('admin@res.test');
  });
  afterAll(() => platform.close());

  it('creates, pages through, updates and deletes vehicles', async () => {
    for (const plate of ['1111aaa', '2222BBB', '3333CCC']) expect((await call('POST', '/api/v1/vehicles', { plate })).status).toBe(201);
    const first = await (await call('GET', '/api/v1/vehicles?limit=2')).json();
    expect(first.data.map((v: { plate: string }) => v.plate)).toEqual(['1111AAA', '2222BBB']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await (await call('GET', `/api/v1/vehicles?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second).toEqual({ data: [expect.objectContaining({ plate: '3333CCC', fleet_id: fleetId })], next_cursor: null });
    expect((await call('GET', '/api/v1/vehicles?cursor=garbage')).status).toBe(400);

    const id = first.data[0].id;
    const patched = await call('PATCH', `/api/v1/vehicles/${id}`, { status: 'maintenance' });
    expect(await patched.json()).toMatchObject({ id, status: 'maintenance', created_at: expect.stringMatching(/Z$/) });
    expect((await call('GET', '/api/v1/vehicles?status=maintenance')).status).toBe(200);
    expect((await call('PATCH', `/api/v1/vehicles/${id}`, { plate: '2222bbb' })).status).toBe(409);
    expect((await call('PATCH', `/api/v1/vehicles/${id}`, { colour: 'red' })).status).toBe(400);
    expect((await call('POST', '/api/v1/vehicles', { plate: '' })).status).toBe(400);
    expect((await call('DELETE', `/api/v1/vehicles/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/vehicles/${id}`)).status).toBe(404);
  });

  it('makes platform admins name the fleet they create in', async () => {
    expect((await call('POST', '/api/v1/vehicles', { plate: 'ADM1' }, admin)).status).toBe(400);
    const res = await call('POST', '/api/v1/vehicles', { plate: 'ADM1', fleet_id: fleetId }, admin);
    expect(res.status).toBe(201);
    expect((await res.json()).fleet_id).toBe(fleetId);
  });

  it('reports how soon each driver licence expires', async () => {
    const today = new Date(platform.clock.now()).toISOString().slice(0, 10);
    const res = await call('POST', '/api/v1/drivers', { name: 'Ana', licence_expires_on: today });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'Ana', licence_status: 'expires_within_7_days' });
    expect((await call('POST', '/api/v1/drivers', { name: 'Bad', licence_expires_on: '2026-02-30' })).status).toBe(400);
  });

  it('shows a device key once, rotates it with a grace period and revokes it', async () => {
    const vehicle = await (await call('POST', '/api/v1/vehicles', { plate: 'DEV1' })).json();
    const created = await (await call('POST', '/api/v1/devices', { vehicle_id: vehicle.id })).json();
    expect(created.key).toMatch(/^twd_/);
    const fetched = await (await call('GET', `/api/v1/devices/${created.id}`)).json();
    expect(fetched.key).toBeUndefined();
    expect(JSON.stringify(fetched)).not.toContain('hash');

    const rotated = await (await call('POST', `/api/v1/devices/${created.id}/rotate`)).json();
    expect(rotated.key).not.toBe(created.key);
    expect(rotated.previous_key_valid_until).toBe(new Date(platform.clock.now() + 24 * 3600_000).toISOString());
    const row = await platform.db.kysely.selectFrom('devices').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(await hashDeviceKey(rotated.key));
    expect(row.previous_key_hash).toBe(await hashDeviceKey(created.key));

    const revoked = await (await call('POST', `/api/v1/devices/${created.id}/revoke`)).json();
    expect(revoked.status).toBe('revoked');
    expect((await call('POST', `/api/v1/devices/${created.id}/rotate`)).status).toBe(409);
    const events = await platform.db.kysely.selectFrom('audit_log').select('event').where('event', 'like', 'device_key_%').execute();
    expect(events.map((e) => e.event).sort()).toEqual(['device_key_created', 'device_key_revoked', 'device_key_rotated']);
  });
});
