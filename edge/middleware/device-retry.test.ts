import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createVehicle } from '../domain/provisioning.ts';

describe('device ingest when storage fails', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let key: string;
  const send = (timestamp: string) =>
    app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ latitude: 40.4, longitude: -3.7, timestamp }) });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const vehicleId = (await createVehicle(deps, { fleetId: (await createFleet(deps, { name: 'Retry' })).id, plate: 'RT-1' })).id;
    key = (await createDevice(deps, { vehicleId })).key;
  });
  afterAll(() => platform.close().catch(() => {}));

  it('answers 503 with Retry-After when the shared cache fails in the rate limit, before the device is known', async () => {
    const increment = platform.cache.increment;
    platform.cache.increment = () => Promise.reject(new Error('cache connection reset'));
    try {
      const res = await send('2026-06-01T07:59:02Z');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
    } finally {
      platform.cache.increment = increment;
    }
  });

  it('answers 503 with Retry-After, so the unit keeps its data and retries, instead of a bare 500', async () => {
    expect((await send('2026-06-01T07:59:00Z')).status).toBe(202); // the device key is now cached
    await platform.db.close();
    const res = await send('2026-06-01T07:59:01Z');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect((await res.json()).error).toMatchObject({ code: 'unavailable', details: { reason: 'storage_unavailable' } });
  });

  it('still answers a bad payload with its 4xx, which tells the unit to drop it', async () => {
    expect((await send('not a time')).status).toBe(400);
  });
});
