/** Traccar Client / OsmAnd through the app: every variant lands in the same pipeline as device protocol v1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createVehicle } from '../domain/provisioning.ts';

describe('/api/v1/osmand', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let vehicleId: string;
  let deviceId: string;
  const seconds = (offset: number) => String(Math.floor(platform.clock.now() / 1000) - 300 + offset);
  const fixes = () => platform.db.kysely.selectFrom('gps_fixes').select(['device_time', 'latitude', 'longitude', 'speed_kmh', 'heading']).where('vehicle_id', '=', vehicleId).orderBy('device_time').execute();

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    vehicleId = (await createVehicle(deps, { fleetId: (await createFleet(deps, { name: 'Phones' })).id, plate: 'PH-1' })).id;
    ({ key, id: deviceId } = await createDevice(deps, { vehicleId }));
  });
  afterAll(() => platform.close());

  it('takes a GET query with speed in knots, and answers 200 so the app drops it from its buffer', async () => {
    const res = await app.request(`/api/v1/osmand?id=${key}&lat=40.4168&lon=-3.7038&timestamp=${seconds(0)}&speed=10&bearing=90`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0 });
    expect((await fixes()).at(-1)).toMatchObject({ latitude: 40.4168, speed_kmh: 18.5, heading: 90 });
  });

  it('takes a legacy POST with everything in the query and an empty body, and counts a resend as a duplicate', async () => {
    const url = `/api/v1/osmand?id=${key}&lat=40.4169&lon=-3.7038&timestamp=${seconds(1)}`;
    expect(await (await app.request(url, { method: 'POST' })).json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await (await app.request(url, { method: 'POST' })).json()).toEqual({ stored: 0, duplicates: 1 });
  });

  it('takes a form, as current Traccar Client sends it, and records the battery', async () => {
    const body = new URLSearchParams({ id: key, lat: '40.417', lon: '-3.7038', timestamp: seconds(2), speed: '0', batt: '64', charge: 'false' });
    const res = await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(200);
    expect((await platform.db.kysely.selectFrom('devices').select('battery_pct').where('id', '=', deviceId).executeTakeFirstOrThrow()).battery_pct).toBe(64);
  });

  it('takes the JSON variant, also when it is labelled as a form, with speed in m/s', async () => {
    const json = (t: number) => JSON.stringify({ device_id: key, location: { timestamp: new Date(Number(seconds(t)) * 1000).toISOString(), coords: { latitude: 40.4171, longitude: -3.7038, speed: 5, heading: 180 }, battery: { level: 0.5 } } });
    expect((await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/json' }, body: json(3) })).status).toBe(200);
    expect((await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: json(4) })).status).toBe(200);
    expect((await fixes()).slice(-2).map((f) => f.speed_kmh)).toEqual([18, 18]);
  });

  it('refuses unknown keys, missing keys, missing positions, bad JSON and stale times with 4xx, storing nothing', async () => {
    const before = (await fixes()).length;
    const unknown = await app.request(`/api/v1/osmand?id=twd_nope&lat=40&lon=-3&timestamp=${seconds(5)}`);
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error.details.reason).toBe('device_key_invalid');
    expect((await (await app.request(`/api/v1/osmand?lat=40&lon=-3`)).json()).error.details.reason).toBe('device_key_missing');
    expect((await app.request(`/api/v1/osmand?id=${key}&timestamp=${seconds(6)}&cell=257,02,16,2224`)).status).toBe(400);
    expect((await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"device_id": ' })).status).toBe(400);
    expect((await app.request(`/api/v1/osmand?id=${key}&lat=40&lon=-3&timestamp=1377177267`)).status).toBe(400); // 2013: past retention
    expect((await app.request(`/api/v1/osmand?id=${key}&lat=91&lon=-3`)).status).toBe(400);
    expect((await fixes()).length).toBe(before);
  });

  it('refuses out-of-range times and numbers that are not plain decimals with a 400 naming the field', async () => {
    const before = (await fixes()).length;
    for (const [query, field] of [
      [`lat=40&lon=-3&timestamp=99999999999999999`, 'timestamp'],
      [`lat=0x10&lon=-3&timestamp=${seconds(7)}`, 'lat'],
      [`lat=40&lon=1e400&timestamp=${seconds(7)}`, 'lon'],
      [`lat=40&lon=-3&speed=NaN&timestamp=${seconds(7)}`, 'speed'],
      [`lat=40&lon=-3&speed=Infinity&timestamp=${seconds(7)}`, 'speed'],
      [`lat=40&lon=-3&bearing=0b11&timestamp=${seconds(7)}`, 'bearing'],
    ]) {
      const res = await app.request(`/api/v1/osmand?id=${key}&${query}`);
      expect(res.status, query).toBe(400);
      const body = await res.json();
      expect(body.error.details.map((d: { path: string }) => d.path), query).toContain(field);
      expect(res.headers.get('retry-after'), query).toBeNull();
    }
    const json = await app.request('/api/v1/osmand', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device_id: key, location: { timestamp: 1e20, coords: { latitude: 40, longitude: -3 } } }) });
    expect(json.status).toBe(400);
    expect((await fixes()).length).toBe(before);
  });
});
