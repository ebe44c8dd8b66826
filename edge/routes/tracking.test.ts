/** Location ingest: single fixes and batches, whole-batch validation, duplicates, and late fixes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { latestLocationKey, type LatestLocation } from '../domain/ingest/store-fixes.ts';
import { createDevice, createFleet, createVehicle } from '../domain/provisioning.ts';

describe('POST /api/v1/tracking/location', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let vehicleId: string;
  let fleetId: string;
  const send = (body: unknown) =>
    app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const at = (seconds: number) => new Date(platform.clock.now() - 600_000 + seconds * 1000).toISOString();
  const fix = (seconds: number, over: Record<string, unknown> = {}) => ({ latitude: 40.4168 + seconds / 10_000, longitude: -3.7038, speed: 30, heading: 90, timestamp: at(seconds), ...over });
  const count = async () => Number((await platform.db.kysely.selectFrom('gps_fixes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Tracking' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'TR-1' })).id;
    key = (await createDevice(deps, { vehicleId })).key;
  });
  afterAll(() => platform.close());

  it('stores a single fix in the seed format, caches the latest position and publishes it', async () => {
    const events: unknown[] = [];
    await platform.bus.subscribe(fleetId, (e) => events.push(e));
    const res = await send({ vehicle_id: vehicleId, ...fix(0) });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await platform.cache.get<LatestLocation>(latestLocationKey(vehicleId))).toMatchObject({ latitude: 40.4168, device_time: at(0) });
    expect(events).toEqual([
      expect.objectContaining({ type: 'location_update', data: expect.objectContaining({ vehicle_id: vehicleId }) }),
      expect.objectContaining({ type: 'vehicle_status', data: expect.objectContaining({ vehicle_id: vehicleId, status: 'moving', since: at(0) }) }),
    ]);
  });

  it('counts a retried fix as a duplicate, not a second row', async () => {
    expect(await (await send(fix(0))).json()).toEqual({ stored: 0, duplicates: 1 });
    expect(await count()).toBe(1);
  });

  it('accepts a batch whole, duplicates included', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => fix(i));
    expect(await (await send({ fixes: batch })).json()).toEqual({ stored: 499, duplicates: 1 });
    expect(await count()).toBe(500);
  });

  it('rejects a batch whole, with per-item details, when any fix is invalid', async () => {
    const res = await send({ fixes: [fix(600), fix(601, { latitude: 123 }), fix(602, { timestamp: 'soon' })] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d: { index: number; path: string }) => [d.index, d.path])).toEqual([[1, 'latitude'], [2, 'timestamp']]);
    expect(await count()).toBe(500);
  });

  it('refuses oversized batches, malformed JSON, and another vehicle’s id', async () => {
    expect((await send({ fixes: Array.from({ length: 501 }, (_, i) => fix(1000 + i)) })).status).toBe(413);
    expect((await send('{"latitude":')).status).toBe(400);
    expect((await send({ fixes: [] })).status).toBe(400);
    expect((await send(fix(700, { vehicle_id: 'someone-else' }))).status).toBe(403);
    expect(await count()).toBe(500);
  });

  it('refuses wrong types, huge bodies and non-JSON media with 4xx, storing nothing', async () => {
    const before = await count();
    expect((await send(fix(580, { latitude: '40.1' }))).status).toBe(400);
    expect((await send(fix(580, { speed: null }))).status).toBe(400);
    expect((await send('[1, 2, 3]')).status).toBe(400);
    expect((await send('null')).status).toBe(400);
    const huge = JSON.stringify({ fixes: [fix(580)], padding: 'x'.repeat(2 * 1024 * 1024) });
    const tooBig = await send(huge);
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('payload_too_large');
    const chunked = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(huge)); c.close(); } });
    const tooBigChunked = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(tooBigChunked.status).toBe(413);
    const image = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'image/jpeg' }, body: new Uint8Array([0xff, 0xd8, 0xff]) });
    expect(image.status).toBe(415);
    // ESP-IDF's post-field helper labels JSON as a form: the meaning is clear, so it is read as JSON.
    const mislabelled = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' }, body: JSON.stringify(fix(590)) });
    expect(mislabelled.status).toBe(202);
    expect(await count()).toBe(before + 1);
  });

  it('stores late fixes without moving the taxi back on the map', async () => {
    const newest = (await platform.cache.get<LatestLocation>(latestLocationKey(vehicleId)))!;
    expect(await (await send(fix(-300))).json()).toEqual({ stored: 1, duplicates: 0 });
    expect(await platform.cache.get<LatestLocation>(latestLocationKey(vehicleId))).toEqual(newest);
  });

  it('needs a device key', async () => {
    const res = await app.request('/api/v1/tracking/location', { method: 'POST', body: JSON.stringify(fix(800)) });
    expect(res.status).toBe(401);
    expect((await res.json()).error.details.reason).toBe('device_key_missing');
  });
});
