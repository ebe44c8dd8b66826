/** Who drives which taxi, through the API: assign, reassign, move a driver, unassign, history, tenancy and roles. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const password = 'drivers-pass-123';

describe('vehicle drivers', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const call = async (method: string, path: string, body?: unknown, token = tokens.owner) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const assign = (vehicle: string, driverId: string | null, token?: string) => call('PUT', `/api/v1/vehicles/${vehicle}/driver`, { driver_id: driverId }, token);
  const driverOf = async (vehicle: string) => (await (await call('GET', `/api/v1/vehicles/${vehicle}`)).json()).driver;
  const currentRows = () => platform.db.kysely.selectFrom('vehicle_drivers').select(['vehicle_id', 'driver_id']).where('ended_at', 'is', null).orderBy('vehicle_id').execute();

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = (await createFleet(deps, { name: 'Drivers A' })).id;
    ids.fleet = fleet;
    const other = (await createFleet(deps, { name: 'Drivers B' })).id;
    ids.v1 = (await createVehicle(deps, { fleetId: fleet, plate: 'V-1' })).id;
    ids.v2 = (await createVehicle(deps, { fleetId: fleet, plate: 'V-2' })).id;
    ids.ana = (await createDriver(deps, { fleetId: fleet, name: 'Ana', licenceExpiresOn: '2030-01-01' })).id;
    ids.bea = (await createDriver(deps, { fleetId: fleet, name: 'Bea', licenceExpiresOn: '2030-01-01' })).id;
    // The test clock reads 2026-06-01: this licence expired the day before.
    ids.old = (await createDriver(deps, { fleetId: fleet, name: 'Olga', licenceExpiresOn: '2026-05-31' })).id;
    ids.foreign = (await createDriver(deps, { fleetId: other, name: 'Bruno', licenceExpiresOn: '2030-01-01' })).id;
    await createUser(deps, { fleetId: fleet, email: 'owner@drv.test', password, role: 'owner' });
    await createUser(deps, { fleetId: fleet, email: 'viewer@drv.test', password, role: 'viewer' });
    await createUser(deps, { fleetId: other, email: 'owner@other.test', password, role: 'owner' });
    tokens.owner = await loginForTest(app, platform.clock, 'owner@drv.test', password);
    tokens.viewer = await loginForTest(app, platform.clock, 'viewer@drv.test', password);
    tokens.other = await loginForTest(app, platform.clock, 'owner@other.test', password);
    tokens.readKey = (await createApiKey(deps, { fleetId: fleet, scopes: ['read:vehicles'] })).key;
    tokens.writeKey = (await createApiKey(deps, { fleetId: fleet, scopes: ['read:vehicles', 'write:vehicles'] })).key;
  });
  afterAll(() => platform.close());

  it('assigns a driver, shows them on the vehicle, and treats a repeated request as no change', async () => {
    expect(await driverOf(ids.v1)).toBeNull();
    const res = await assign(ids.v1, ids.ana);
    expect(res.status).toBe(200);
    const since = new Date(platform.clock.now()).toISOString();
    expect(await res.json()).toEqual({ vehicle_id: ids.v1, driver: { id: ids.ana, name: 'Ana', since }, changed: true, warnings: [] });
    expect(await driverOf(ids.v1)).toEqual({ id: ids.ana, name: 'Ana', since });
    const list = await (await call('GET', '/api/v1/vehicles')).json();
    expect(list.data.map((v: { plate: string; driver: { name: string } | null }) => [v.plate, v.driver?.name ?? null])).toEqual([['V-1', 'Ana'], ['V-2', null]]);

    platform.clock.advance(60_000);
    const again = await (await assign(ids.v1, ids.ana)).json();
    expect(again).toMatchObject({ changed: false, driver: { id: ids.ana, since } });
    expect(await currentRows()).toEqual([{ vehicle_id: ids.v1, driver_id: ids.ana }]);
  });

  it("reassigning ends the vehicle's previous stint, and a driver moving ends theirs elsewhere", async () => {
    platform.clock.advance(60_000);
    expect((await assign(ids.v1, ids.bea)).status).toBe(200);
    expect((await driverOf(ids.v1)).name).toBe('Bea');
    expect(await currentRows()).toEqual([{ vehicle_id: ids.v1, driver_id: ids.bea }]);

    platform.clock.advance(60_000);
    const moved = await (await assign(ids.v2, ids.bea)).json();
    expect(moved.driver.name).toBe('Bea');
    expect(await driverOf(ids.v1)).toBeNull();
    expect(await currentRows()).toEqual([{ vehicle_id: ids.v2, driver_id: ids.bea }]);

    platform.clock.advance(60_000);
    expect((await assign(ids.v1, ids.ana)).status).toBe(200);
    const rows = await currentRows();
    expect(rows).toHaveLength(2);
  });

  it('announces each change as driver_changed, including the taxi a driver was taken from, and repeats as nothing', async () => {
    const events = (await platform.bus.replay(ids.fleet, null)).filter((e) => e.type === 'driver_changed');
    const seen = events.map((e) => {
      const data = e.data as { vehicle_id: string; driver: { name: string } | null };
      return [data.vehicle_id === ids.v1 ? 'V-1' : 'V-2', data.driver?.name ?? null];
    });
    // Ana on V-1 (the repeat sent nothing), Bea on V-1, Bea moved to V-2 (V-1 left empty), Ana back on V-1.
    expect(seen).toEqual([['V-1', 'Ana'], ['V-1', 'Bea'], ['V-2', 'Bea'], ['V-1', null], ['V-1', 'Ana']]);
    expect(events.every((e) => e.fleetId === ids.fleet)).toBe(true);
  });

  it('unassigns with null, and unassigning an empty vehicle changes nothing', async () => {
    platform.clock.advance(60_000);
    expect(await (await assign(ids.v2, null)).json()).toEqual({ vehicle_id: ids.v2, driver: null, changed: true, warnings: [] });
    expect(await driverOf(ids.v2)).toBeNull();
    expect(await (await assign(ids.v2, null)).json()).toMatchObject({ driver: null, changed: false });
  });

  it("lists a vehicle's history, newest first, filtered by time", async () => {
    const history = await (await call('GET', `/api/v1/vehicles/${ids.v1}/drivers`)).json();
    expect(history.data.map((h: { driver_name: string; ended_at: string | null }) => [h.driver_name, h.ended_at === null])).toEqual([
      ['Ana', true],
      ['Bea', false],
      ['Ana', false],
    ]);
    const [, bea, firstAna] = history.data;
    expect(firstAna.ended_at).toBe(bea.started_at);
    // Only the stints in force during Bea's minute on V-1.
    const during = await (await call('GET', `/api/v1/vehicles/${ids.v1}/drivers?from=${encodeURIComponent(bea.started_at)}&to=${encodeURIComponent(bea.started_at)}`)).json();
    expect(during.data.map((h: { driver_name: string }) => h.driver_name)).toEqual(['Bea']);
    const paged = await (await call('GET', `/api/v1/vehicles/${ids.v1}/drivers?limit=2`)).json();
    expect(paged.data).toHaveLength(2);
    const rest = await (await call('GET', `/api/v1/vehicles/${ids.v1}/drivers?limit=2&cursor=${paged.next_cursor}`)).json();
    expect(rest).toEqual({ data: [expect.objectContaining({ id: firstAna.id })], next_cursor: null });
  });

  it('assigns a driver whose licence has expired, with a warning', async () => {
    const res = await assign(ids.v2, ids.old);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ driver: { id: ids.old, name: 'Olga' }, warnings: ['licence_expired'] });
    expect((await driverOf(ids.v2)).name).toBe('Olga');
  });

  it("answers 404 for another fleet's driver or vehicle, and changes nothing", async () => {
    const before = await currentRows();
    const res = await assign(ids.v1, ids.foreign);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    expect((await assign(ids.v1, 'no-such-driver')).status).toBe(404);
    expect((await assign(ids.v1, ids.ana, tokens.other)).status).toBe(404);
    expect((await call('GET', `/api/v1/vehicles/${ids.v1}/drivers`, undefined, tokens.other)).status).toBe(404);
    expect(await currentRows()).toEqual(before);
  });

  it('lets viewers and read-only keys read but not assign; write keys assign', async () => {
    expect((await assign(ids.v1, ids.bea, tokens.viewer)).status).toBe(403);
    expect((await call('GET', `/api/v1/vehicles/${ids.v1}/drivers`, undefined, tokens.viewer)).status).toBe(200);
    expect((await driverOf(ids.v1)).name).toBe('Ana');
    expect((await assign(ids.v1, ids.bea, tokens.readKey)).status).toBe(403);
    const byKey = await assign(ids.v1, ids.bea, tokens.writeKey);
    expect(byKey.status).toBe(200);
    const row = await platform.db.kysely.selectFrom('vehicle_drivers').select('assigned_by').where('vehicle_id', '=', ids.v1).where('ended_at', 'is', null).executeTakeFirstOrThrow();
    expect(row.assigned_by).toBeNull();
  });

  it('answers 400 to bad bodies and queries, and changes nothing', async () => {
    const before = await currentRows();
    for (const body of [{}, { driver_id: 5 }, { driver_id: '' }, { driver_id: ids.ana, extra: true }, 'not json', '[]']) {
      const res = await call('PUT', `/api/v1/vehicles/${ids.v1}/driver`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toMatch(/bad_request|validation_failed/);
    }
    expect((await call('GET', `/api/v1/vehicles/${ids.v1}/drivers?from=yesterday`)).status).toBe(400);
    expect((await call('GET', `/api/v1/vehicles/${ids.v1}/drivers?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z`)).status).toBe(400);
    expect(await currentRows()).toEqual(before);
  });
});
