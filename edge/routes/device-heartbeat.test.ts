/** Device keys at the edge: heartbeat accepted, rotated key valid through its grace period, revoked and expired keys refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('POST /api/v1/devices/heartbeat', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let fleetId: string;
  let vehicleId: string;
  const beat = (key: string, body: unknown = { firmware_version: '1.4.2', battery_pct: 81.6, rssi: -67, uptime_s: 3600, queued_items: 3 }, header = 'authorization') =>
    app.request('/api/v1/devices/heartbeat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [header]: header === 'authorization' ? `Bearer ${key}` : key },
      body: JSON.stringify(body),
    });
  const reason = async (res: Response) => (await res.json()).error.details.reason;
  const asOwner = (method: string, path: string) => app.request(path, { method, headers: { authorization: `Bearer ${owner}` } });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Devices' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'HB-1' })).id;
    await createUser(deps, { fleetId, email: 'owner@hb.test', password: 'heartbeat-pass', role: 'owner' });
    owner = await loginForTest(app, platform.clock, 'owner@hb.test', 'heartbeat-pass');
  });
  afterAll(() => platform.close());

  it('records a heartbeat and publishes device_status', async () => {
    const device = await createDevice({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { vehicleId });
    const seen: unknown[] = [];
    await platform.bus.subscribe(fleetId, (e) => seen.push(e));
    const res = await beat(device.key);
    expect(res.status).toBe(200);
    const row = await platform.db.kysely.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ firmware_version: '1.4.2', battery_pct: 82, rssi: -67 });
    expect(row.last_seen_at?.toISOString()).toBe(new Date(platform.clock.now()).toISOString());
    expect(seen).toEqual([expect.objectContaining({ type: 'device_status', data: expect.objectContaining({ device_id: device.id, queued_items: 3 }) })]);
    expect((await beat(device.key, {}, 'x-device-key')).status).toBe(200);
    expect((await beat(device.key, { battery_pct: 150 })).status).toBe(400);
  });

  it('keeps a rotated-out key working through the grace period only', async () => {
    const device = await createDevice({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { vehicleId });
    expect((await beat(device.key)).status).toBe(200); // now cached
    const rotation = await asOwner('POST', `/api/v1/devices/${device.id}/rotate`);
    expect(rotation.status).toBe(200);
    const rotated = await rotation.json();
    expect((await beat(rotated.key)).status).toBe(200);
    expect((await beat(device.key)).status).toBe(200);
    platform.clock.advance(24 * 3600_000 + 1000);
    const old = await beat(device.key);
    expect(old.status).toBe(401);
    expect(await reason(old)).toBe('device_key_expired');
    expect((await beat(rotated.key)).status).toBe(200);
  });

  it('refuses revoked, expired and unknown keys with a reason the firmware can act on', async () => {
    const device = await createDevice({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { vehicleId });
    expect((await beat(device.key)).status).toBe(200); // cached before the revocation
    owner = await loginForTest(app, platform.clock, 'owner@hb.test', 'heartbeat-pass'); // the clock moved past the last token
    expect((await asOwner('POST', `/api/v1/devices/${device.id}/revoke`)).status).toBe(200);
    const revoked = await beat(device.key);
    expect(revoked.status).toBe(401);
    expect(await reason(revoked)).toBe('device_key_revoked');

    const aging = await createDevice({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { vehicleId });
    platform.clock.advance(91 * 86_400_000);
    const expired = await beat(aging.key);
    expect(await reason(expired)).toBe('device_key_expired');

    expect(await reason(await beat('twd_unknown'))).toBe('device_key_invalid');
    expect((await app.request('/api/v1/devices/heartbeat', { method: 'POST', body: '{}' })).status).toBe(401);
  });
});
