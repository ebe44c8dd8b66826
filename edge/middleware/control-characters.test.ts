/** Issue 13 item 6: a NUL (or another control character) anywhere in a request is a 400 naming the field, never a 5xx. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('control characters in requests', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let deviceKey: string;

  const call = (method: string, path: string, body?: unknown, token = owner) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const expectNamed = async (res: Response, field: string) => {
    const body = await res.json();
    expect({ status: res.status, code: body.error?.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.headers.get('retry-after')).toBeNull();
    expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: field, message: expect.stringMatching(/control character/) })]));
    expect(body.error.message).toContain(field);
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Control' })).id;
    await createUser(deps, { fleetId, email: 'owner@control.test', password: 'control-pass-1234', role: 'owner' });
    const vehicle = await createVehicle(deps, { fleetId, plate: 'NUL1' });
    deviceKey = (await createDevice(deps, { vehicleId: vehicle.id })).key;
    owner = await loginForTest(app, platform.clock, 'owner@control.test', 'control-pass-1234');
  });
  afterAll(() => platform.close());

  it('names a JSON field holding a NUL', async () => {
    await expectNamed(await call('POST', '/api/v1/vehicles', { plate: 'AB\u0000C' }), 'plate');
    await expectNamed(await call('POST', '/api/v1/drivers', { name: 'Ann', licence_number: 'x\u0000', licence_expires_on: '2030-01-01' }), 'licence_number');
    // Nested fields are named by their path, wherever they sit.
    await expectNamed(await call('POST', '/api/v1/vehicles', { plate: 'OK1', extra: [{ note: '\u0007' }] }), 'extra.0.note');
  });

  it('names a query filter holding a NUL', async () => {
    await expectNamed(await call('GET', '/api/v1/vehicles?fleet_id=%00'), 'fleet_id');
    await expectNamed(await call('GET', '/api/v1/incidents?vehicle_id=a%00b'), 'vehicle_id');
  });

  it('names a path id holding a NUL', async () => {
    await expectNamed(await call('GET', '/api/v1/vehicles/abc%00'), 'id');
    await expectNamed(await call('PATCH', '/api/v1/drivers/%00', { name: 'Bo' }), 'id');
  });

  it('answers a device 400 without Retry-After, so it drops what can never be stored', async () => {
    const fix = { latitude: 40.4, longitude: -3.7, timestamp: new Date(platform.clock.now()).toISOString() };
    await expectNamed(await call('POST', '/api/v1/devices/heartbeat', { firmware_version: '1.2\u0000' }, deviceKey), 'firmware_version');
    const batch = await call('POST', '/api/v1/tracking/location', { fixes: [fix, { ...fix, vehicle_id: 'v\u0000' }] }, deviceKey);
    expect(batch.status).toBe(400);
    expect((await batch.json()).error.details).toEqual([{ index: 1, path: 'vehicle_id', message: expect.stringMatching(/control character \(U\+0000\)/) }]);
    await expectNamed(await call('GET', `/api/v1/osmand?id=${deviceKey}&lat=40.4&lon=-3.7&name=%00`), 'name');
    await expectNamed(await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device_id: `${deviceKey}\u0000`, location: { coords: { latitude: 40.4, longitude: -3.7 } } }) }), 'device_id');
  });

  it('accepts tabs and line breaks, which are text', async () => {
    const res = await call('POST', '/api/v1/drivers', { name: 'Ann\tLee\r\nJr', licence_expires_on: '2030-01-01' });
    expect(res.status).toBe(201);
  });
});
