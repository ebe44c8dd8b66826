/**
 * Trips and incidents name the driver in force at their start / occurrence (resolved at read time from
 * vehicle_drivers), unless they already store one. All instants are explicit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { assignDriver } from '../domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const at = (hhmm: string) => new Date(`2026-06-01T${hhmm}:00Z`);

describe('drivers of trips and incidents', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let fleetId: string;
  let vehicleId: string;
  const drivers: Record<string, string> = {};

  const get = async (path: string) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const insertTrip = (id: string, startedAt: string, driverId: string | null = null) =>
    platform.db.kysely.insertInto('trips').values({ id, fleet_id: fleetId, vehicle_id: vehicleId, driver_id: driverId, started_at: at(startedAt), ended_at: null }).execute();
  const insertIncident = (id: string, occurredAt: string, driverId: string | null = null) =>
    platform.db.kysely
      .insertInto('incidents')
      .values({ id, fleet_id: fleetId, vehicle_id: vehicleId, driver_id: driverId, trip_id: null, frame_id: null, type: 'HARSH_BRAKING', severity: 'MEDIUM', confidence: null, source: 'telemetry', latitude: null, longitude: null, occurred_at: at(occurredAt), last_seen_at: at(occurredAt), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: at(occurredAt) })
      .execute();

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Shifts' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'S-1' })).id;
    for (const name of ['Ana', 'Bea', 'Carl']) drivers[name] = (await createDriver(deps, { fleetId, name, licenceExpiresOn: '2030-01-01' })).id;
    // Ana drives 08:00-08:30, Bea 08:30-09:00, then nobody.
    for (const [time, driverId] of [['08:00', drivers.Ana], ['08:30', drivers.Bea], ['09:00', null]] as const) {
      platform.clock.set(at(time));
      await assignDriver(deps, { fleetId, vehicleId, driverId, assignedBy: null });
    }
    platform.clock.set(at('09:05'));
    await createUser(deps, { fleetId, email: 'owner@shifts.test', password: 'shifts-pass-123', role: 'owner' });
    token = await loginForTest(app, platform.clock, 'owner@shifts.test', 'shifts-pass-123');
    await insertTrip('trip-0750', '07:50');
    await insertTrip('trip-0810', '08:10');
    await insertTrip('trip-0815-carl', '08:15', drivers.Carl);
    await insertTrip('trip-0830', '08:30');
    await insertTrip('trip-0845', '08:45');
    await insertTrip('trip-0910', '09:10');
    await insertIncident('incident-0829', '08:29');
    await insertIncident('incident-0840', '08:40');
    await insertIncident('incident-0841-carl', '08:41', drivers.Carl);
    await insertIncident('incident-0930', '09:30');
  });
  afterAll(() => platform.close());

  it('lists each trip with the driver assigned when it started, or the one it stores', async () => {
    const trips = await get(`/api/v1/trips?vehicle_id=${vehicleId}`);
    const byId = Object.fromEntries(trips.data.map((t: { id: string; driver_name: string | null }) => [t.id, t.driver_name]));
    expect(byId).toEqual({ 'trip-0750': null, 'trip-0810': 'Ana', 'trip-0815-carl': 'Carl', 'trip-0830': 'Bea', 'trip-0845': 'Bea', 'trip-0910': null });
    const one = await get('/api/v1/trips/trip-0845');
    expect(one).toMatchObject({ driver_id: drivers.Bea, driver_name: 'Bea', started_at: '2026-06-01T08:45:00.000Z' });
  });

  it('filters trips by the resolved driver', async () => {
    const bea = await get(`/api/v1/trips?driver_id=${drivers.Bea}`);
    expect(bea.data.map((t: { id: string }) => t.id).sort()).toEqual(['trip-0830', 'trip-0845']);
    // Ana's stint ends at 08:30 exactly, when Bea's begins: the 08:30 trip is Bea's only.
    const ana = await get(`/api/v1/trips?driver_id=${drivers.Ana}`);
    expect(ana.data.map((t: { id: string }) => t.id)).toEqual(['trip-0810']);
    const carl = await get(`/api/v1/trips?driver_id=${drivers.Carl}`);
    expect(carl.data.map((t: { id: string }) => t.id)).toEqual(['trip-0815-carl']);
  });

  it('gives incidents the driver in force when they occurred', async () => {
    const incidents = await get(`/api/v1/incidents?vehicle_id=${vehicleId}`);
    const byId = Object.fromEntries(incidents.data.map((i: { id: string; driver_name: string | null }) => [i.id, i.driver_name]));
    expect(byId).toEqual({ 'incident-0829': 'Ana', 'incident-0840': 'Bea', 'incident-0841-carl': 'Carl', 'incident-0930': null });
    expect(await get('/api/v1/incidents/incident-0840')).toMatchObject({ driver_id: drivers.Bea, driver_name: 'Bea' });
  });

  it('keeps a past trip\'s driver when the vehicle is reassigned later', async () => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    await assignDriver(deps, { fleetId, vehicleId, driverId: drivers.Carl, assignedBy: null });
    expect((await get('/api/v1/trips/trip-0810')).driver_name).toBe('Ana');
    expect((await get(`/api/v1/vehicles/${vehicleId}`)).driver).toMatchObject({ name: 'Carl', since: '2026-06-01T09:05:00.000Z' });
  });
});
