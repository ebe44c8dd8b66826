/** Camera roles through the API: set at provisioning, changed with PATCH, validated, and scoped to the caller's fleet. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('device camera roles', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let ownerA: string;
  let ownerB: string;
  let viewerA: string;
  let vehicleA: string;

  const call = async (token: string, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetA = (await createFleet(deps, { name: 'Roles A' })).id;
    const fleetB = (await createFleet(deps, { name: 'Roles B' })).id;
    vehicleA = (await createVehicle(deps, { fleetId: fleetA, plate: 'ROLE-1' })).id;
    await createUser(deps, { fleetId: fleetA, email: 'owner@roles-a.test', password: 'camera-roles-pass', role: 'owner' });
    await createUser(deps, { fleetId: fleetA, email: 'viewer@roles-a.test', password: 'camera-roles-pass', role: 'viewer' });
    await createUser(deps, { fleetId: fleetB, email: 'owner@roles-b.test', password: 'camera-roles-pass', role: 'owner' });
    ownerA = await loginForTest(app, platform.clock, 'owner@roles-a.test', 'camera-roles-pass');
    viewerA = await loginForTest(app, platform.clock, 'viewer@roles-a.test', 'camera-roles-pass');
    ownerB = await loginForTest(app, platform.clock, 'owner@roles-b.test', 'camera-roles-pass');
  });
  afterAll(() => platform.close());

  it('provisions a cabin camera by default, or the role asked for, and lists by role', async () => {
    const cabin = await (await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA })).json();
    expect(cabin).toMatchObject({ camera_role: 'cabin', key: expect.stringMatching(/^twd_/) });
    // A new cabin camera starts calibrating; a road camera has nothing to calibrate.
    expect(await (await call(ownerA, 'GET', `/api/v1/devices/${cabin.id}`)).json()).toMatchObject({ calibration: { status: 'calibrating', samples: 0, needed: 20 } });
    const road = await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA, name: 'Road cam', camera_role: 'road' });
    expect(road.status).toBe(201);
    expect(await road.json()).toMatchObject({ camera_role: 'road', name: 'Road cam' });
    const listed = await (await call(ownerA, 'GET', '/api/v1/devices?camera_role=road')).json();
    expect(listed.data.map((d: { camera_role: string }) => d.camera_role)).toEqual(['road']);
    expect(listed.data[0].calibration).toBeNull();
  });

  it('changes the role with PATCH, records who did it, and starts the camera calibrating again', async () => {
    const device = await (await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA })).json();
    const now = new Date(platform.clock.now());
    await platform.db.kysely.insertInto('camera_calibrations').values({ device_id: device.id, fleet_id: device.fleet_id, status: 'ready', state: JSON.stringify({ status: 'ready', baseline: {}, samples: [], shifted: 0 }), learned_at: now, updated_at: now }).execute();
    expect(await (await call(ownerA, 'GET', `/api/v1/devices/${device.id}`)).json()).toMatchObject({ calibration: { status: 'ready', samples: null } });
    const res = await call(ownerA, 'PATCH', `/api/v1/devices/${device.id}`, { camera_role: 'dual' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: device.id, camera_role: 'dual' });
    expect(await (await call(ownerA, 'GET', `/api/v1/devices/${device.id}`)).json()).toMatchObject({ camera_role: 'dual', calibration: { status: 'calibrating', samples: 0 } });
    const audits = await platform.db.kysely.selectFrom('audit_log').select(['event', 'details']).where('event', '=', 'device_camera_role_changed').execute();
    expect(audits.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details))).toContainEqual(expect.objectContaining({ deviceId: device.id, from: 'cabin', to: 'dual' }));
  });

  it('refuses an unknown role, at provisioning and on change, with a clear 400', async () => {
    const bad = await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA, camera_role: 'roof' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'camera_role' })] });
    const device = await (await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA })).json();
    expect((await call(ownerA, 'PATCH', `/api/v1/devices/${device.id}`, { camera_role: 'sideways' })).status).toBe(400);
    expect((await call(ownerA, 'PATCH', `/api/v1/devices/${device.id}`, {})).status).toBe(400);
    expect((await call(ownerA, 'GET', `/api/v1/devices/${device.id}`)).status).toBe(200);
  });

  it('another fleet cannot see or change the role; a viewer cannot change it', async () => {
    const device = await (await call(ownerA, 'POST', '/api/v1/devices', { vehicle_id: vehicleA })).json();
    expect((await call(ownerB, 'PATCH', `/api/v1/devices/${device.id}`, { camera_role: 'road' })).status).toBe(404);
    expect((await call(viewerA, 'PATCH', `/api/v1/devices/${device.id}`, { camera_role: 'road' })).status).toBe(403);
    expect(await (await call(ownerA, 'GET', `/api/v1/devices/${device.id}`)).json()).toMatchObject({ camera_role: 'cabin' });
  });
});
