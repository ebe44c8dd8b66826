/**
 * The lists the owner pages page through: trips newest first with a cursor, alerts by taxi, driver and time.
 * Every instant is explicit; ids are time-ordered (UUIDv7 from the test clock), as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { assignDriver } from '../domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const at = (hhmm: string) => new Date(`2026-06-01T${hhmm}:00Z`);

describe('list filters and pages', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let token: string;
  const taxis: Record<string, string> = {};
  const drivers: Record<string, string> = {};
  let fleetId = '';

  const get = async (path: string, status = 200) => {
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(status);
    return res.json();
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Lists' })).id;
    for (const plate of ['A-1', 'B-2']) taxis[plate] = (await createVehicle(deps, { fleetId, plate })).id;
    for (const name of ['Ana', 'Bea'])
      drivers[name] = (await createDriver(deps, { fleetId, name, licenceExpiresOn: '2030-01-01' })).id;
    platform.clock.set(at('07:00'));
    await assignDriver(deps, { fleetId, vehicleId: taxis['A-1'], driverId: drivers.Ana, assignedBy: null });
    platform.clock.set(at('09:00'));
    await assignDriver(deps, { fleetId, vehicleId: taxis['A-1'], driverId: drivers.Bea, assignedBy: null });
    // Five trips of A-1 at 08:00…12:00 and alerts at 08:30, 08:45 (B-2), 09:30, 10:30.
    for (const hour of ['08', '09', '10', '11', '12']) {
      platform.clock.set(at(`${hour}:00`));
      await platform.db.kysely
        .insertInto('trips')
        .values({
          id: platform.ids.next(),
          fleet_id: fleetId,
          vehicle_id: taxis['A-1'],
          started_at: at(`${hour}:00`),
          ended_at: at(`${hour}:20`),
        })
        .execute();
    }
    for (const [time, plate] of [
      ['08:30', 'A-1'],
      ['08:45', 'B-2'],
      ['09:30', 'A-1'],
      ['10:30', 'A-1'],
    ] as const) {
      platform.clock.set(at(time));
      await platform.db.kysely
        .insertInto('alerts')
        .values({
          id: platform.ids.next(),
          fleet_id: fleetId,
          incident_id: null,
          vehicle_id: taxis[plate],
          severity: 'HIGH',
          message: `${plate} ${time}`,
          created_at: at(time),
        })
        .execute();
    }
    platform.clock.set(at('13:00'));
    await createUser(deps, { fleetId, email: 'owner@lists.test', password: 'lists-pass-1234', role: 'owner' });
    token = await loginForTest(app, platform.clock, 'owner@lists.test', 'lists-pass-1234');
  });
  afterAll(() => platform.close());

  it('pages through trips newest first with the cursor, and still oldest first by default', async () => {
    const starts = (page: { data: Array<{ started_at: string }> }) => page.data.map((t) => t.started_at.slice(11, 16));
    const first = await get('/api/v1/trips?order=desc&limit=2');
    expect(starts(first)).toEqual(['12:00', '11:00']);
    const second = await get(`/api/v1/trips?order=desc&limit=2&cursor=${first.next_cursor}`);
    expect(starts(second)).toEqual(['10:00', '09:00']);
    const last = await get(`/api/v1/trips?order=desc&limit=2&cursor=${second.next_cursor}`);
    expect([starts(last), last.next_cursor]).toEqual([['08:00'], null]);
    expect(starts(await get('/api/v1/trips?limit=2'))).toEqual(['08:00', '09:00']);
    expect(
      starts(
        await get(
          `/api/v1/trips?order=desc&from=2026-06-01T09:00:00Z&to=2026-06-01T10:59:00Z&driver_id=${drivers.Bea}`,
        ),
      ),
    ).toEqual(['10:00', '09:00']);
    expect((await get('/api/v1/trips?order=sideways', 400)).error.code).toBe('validation_failed');
  });

  it('filters alerts by taxi, by the driver at the wheel when they were raised, and by time', async () => {
    const messages = (page: { data: Array<{ message: string }> }) => page.data.map((a) => a.message);
    expect(messages(await get(`/api/v1/alerts?vehicle_id=${taxis['A-1']}`))).toEqual([
      'A-1 10:30',
      'A-1 09:30',
      'A-1 08:30',
    ]);
    expect(messages(await get(`/api/v1/alerts?driver_id=${drivers.Ana}`))).toEqual(['A-1 08:30']);
    expect(messages(await get(`/api/v1/alerts?driver_id=${drivers.Bea}`))).toEqual(['A-1 10:30', 'A-1 09:30']);
    expect(messages(await get('/api/v1/alerts?from=2026-06-01T08:40:00Z&to=2026-06-01T09:45:00Z'))).toEqual([
      'A-1 09:30',
      'B-2 08:45',
    ]);
    const page = await get('/api/v1/alerts?limit=3');
    expect(messages(await get(`/api/v1/alerts?limit=3&cursor=${page.next_cursor}`))).toEqual(['A-1 08:30']);
    expect((await get('/api/v1/alerts?from=2026-06-01T10:00:00Z&to=2026-06-01T09:00:00Z', 400)).error.code).toBe(
      'validation_failed',
    );
  });

  it("finds an incident's alert by incident_id (the incident page's timeline and delivery log)", async () => {
    const db = platform.db.kysely;
    const incidentId = platform.ids.next();
    const t = at('11:05');
    await db
      .insertInto('incidents')
      .values({
        id: incidentId,
        fleet_id: fleetId,
        vehicle_id: taxis['A-1'],
        driver_id: null,
        trip_id: null,
        frame_id: null,
        type: 'HARSH_BRAKING',
        severity: 'HIGH',
        confidence: 0.9,
        source: 'telemetry',
        latitude: null,
        longitude: null,
        occurred_at: t,
        last_seen_at: t,
        status_changed_by: null,
        status_changed_at: null,
        status_reason: null,
        created_at: t,
      })
      .execute();
    await db
      .insertInto('alerts')
      .values({
        id: platform.ids.next(),
        fleet_id: fleetId,
        incident_id: incidentId,
        vehicle_id: taxis['A-1'],
        severity: 'HIGH',
        message: 'A-1 11:05 braking',
        created_at: t,
      })
      .execute();
    const page = await get(`/api/v1/alerts?incident_id=${incidentId}`);
    expect(page.data.map((a: { message: string }) => a.message)).toEqual(['A-1 11:05 braking']);
    expect((await get('/api/v1/alerts?incident_id=nope')).data).toEqual([]);
  });
});
