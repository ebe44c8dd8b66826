/** Key reminders at 30, 7 and 1 days, from 08:00 fleet time, each once, on the live feed and to webhooks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createApiKey } from '../edge/domain/auth/api-keys.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { checkKeyExpiry } from './check-key-expiry.ts';

const DAY = 86_400_000;
const context = { jobId: 'test', attempt: 1 };

describe('check-key-expiry', () => {
  let platform: TestPlatform;
  let fleetId: string;
  let deviceId: string;
  const alerts = async () => (await platform.bus.replay(fleetId, null, 1000)).filter((e) => e.type === 'new_alert').map((e) => e.data as { source: string; severity: string; level: string; message: string; key_id: string });

  beforeAll(async () => {
    platform = await createTestPlatform();
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    platform.clock.set('2026-06-01T05:30:00Z'); // 07:30 in Madrid
    fleetId = (await createFleet(deps, { name: 'Keys', timezone: 'Europe/Madrid', locale: 'es' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: '1234-ABC' })).id;
    deviceId = (await createDevice(deps, { vehicleId, name: 'cam-front' })).id;
    await platform.db.kysely.updateTable('devices').set({ key_expires_at: new Date(platform.clock.now() + 29 * DAY) }).where('id', '=', deviceId).execute();
    await createApiKey(deps, { fleetId, name: 'ERP', scopes: ['read:vehicles'], expiresInDays: 1 });
    await createApiKey(deps, { fleetId, name: 'BI', scopes: ['read:vehicles'] }); // 90 days: nothing yet
    await platform.db.kysely.insertInto('webhooks').values({ id: 'hook', fleet_id: fleetId, url: 'https://example.test/hook', event_types: '["new_alert"]', secret: 'whsec_x', created_at: new Date() }).execute();
  });
  afterAll(() => platform.close());

  it('waits for 08:00 fleet time, then raises each step once', async () => {
    await checkKeyExpiry(platform, null, context);
    expect(await alerts()).toEqual([]);
    platform.clock.set('2026-06-01T06:05:00Z');
    await checkKeyExpiry(platform, null, context);
    await checkKeyExpiry(platform, null, context);
    const raised = await alerts();
    expect(raised.map((a) => [a.source, a.severity, a.level]).sort()).toEqual([
      ['api_key', 'HIGH', 'expires_within_1_day'],
      ['device_key', 'LOW', 'expires_within_30_days'],
    ]);
    expect(raised.find((a) => a.source === 'device_key')!.message).toContain('La clave del dispositivo caduca en 29 días — 1234-ABC (cam-front)');
    const deliveries = await platform.db.kysely.selectFrom('webhook_deliveries').select('event_type').execute();
    expect(deliveries).toHaveLength(2);
  });

  it('raises the 7- and 1-day steps for a device that never renewed, and nothing once it has', async () => {
    platform.clock.advance(23 * DAY);
    await checkKeyExpiry(platform, null, context);
    platform.clock.advance(5 * DAY + 12 * 3_600_000);
    await checkKeyExpiry(platform, null, context);
    expect((await alerts()).filter((a) => a.source === 'device_key').map((a) => a.level)).toEqual(['expires_within_30_days', 'expires_within_7_days', 'expires_within_1_day']);
    // Renewed: the expiry moves on 90 days, and the next reminder is 60 days away.
    await platform.db.kysely.updateTable('devices').set({ key_expires_at: new Date(platform.clock.now() + 90 * DAY) }).where('id', '=', deviceId).execute();
    await checkKeyExpiry(platform, null, context);
    expect((await alerts()).filter((a) => a.source === 'device_key')).toHaveLength(3);
  });
});
