import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite } from '../../e2e/support/test-databases.ts';
import { hashDeviceKey } from './device-keys.ts';
import { verifyPassword } from './passwords.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle, listFleets } from './provisioning.ts';
import type { DomainDeps } from './deps.ts';

describe('provisioning', () => {
  let db: Db;
  let deps: DomainDeps;
  const clock = createManualClock('2026-06-01T08:00:00Z');

  beforeAll(async () => {
    db = await createTestPglite();
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  });
  afterAll(() => db.close());

  it('creates a fleet with defaults, as JSON-safe snake_case', async () => {
    const fleet = await createFleet(deps, { name: '  Radio Taxi  ' });
    expect(fleet).toEqual({
      id: expect.any(String),
      name: 'Radio Taxi',
      timezone: 'UTC',
      locale: 'es',
      speed_limit_kmh: 90,
      telemetry: {},
      retention: {},
      notifications: {},
      drivers_see_own_score: false,
      created_at: '2026-06-01T08:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(fleet))).toEqual(fleet);
  });

  it('accepts IANA timezones in any case, stored in their usual spelling', async () => {
    expect((await createFleet(deps, { name: 'TZ', timezone: 'europe/madrid', locale: 'en', speedLimitKmh: 50 })).timezone).toBe('Europe/Madrid');
  });

  it('rejects invalid fleet fields with per-field details', async () => {
    await expect(createFleet(deps, { name: 'X', timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('timezone'),
      details: [{ path: 'timezone', message: expect.stringContaining('IANA') }],
    });
    await expect(createFleet(deps, { name: 'X', timezone: '+01:00' })).rejects.toMatchObject({ details: [{ path: 'timezone' }] });
    await expect(createFleet(deps, { name: '' })).rejects.toMatchObject({ details: [{ path: 'name' }] });
    await expect(createFleet(deps, { name: 'X', speedLimitKmh: 5 })).rejects.toMatchObject({ details: [{ path: 'speedLimitKmh' }] });
    await expect(createFleet(deps, { name: 'X', speedLimitKmh: 251 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createFleet(deps, { name: 'X', locale: 'fr' as 'es' })).rejects.toMatchObject({ details: [{ path: 'locale' }] });
    await expect(createFleet(deps, { name: 'X', speedLimitKmh: 10 })).resolves.toMatchObject({ speed_limit_kmh: 10 });
  });

  it('creates vehicles with normalised plates, unique per fleet', async () => {
    const fleet = await createFleet(deps, { name: 'Plates' });
    const other = await createFleet(deps, { name: 'Other' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: ' 1234abc ' });
    expect(vehicle).toMatchObject({ fleet_id: fleet.id, plate: '1234ABC', status: 'active', created_at: '2026-06-01T08:00:00.000Z' });
    await expect(createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createVehicle(deps, { fleetId: other.id, plate: '1234ABC' })).resolves.toMatchObject({ fleet_id: other.id });
    await expect(createVehicle(deps, { fleetId: 'nope', plate: 'A' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createVehicle(deps, { fleetId: fleet.id, plate: '   ' })).rejects.toMatchObject({ details: [{ path: 'plate' }] });
  });

  it('creates drivers with a real licence expiry date', async () => {
    const fleet = await createFleet(deps, { name: 'Drivers' });
    const driver = await createDriver(deps, { fleetId: fleet.id, name: 'Ana', licenceExpiresOn: '2028-02-29' });
    expect(driver).toMatchObject({ name: 'Ana', licence_expires_on: '2028-02-29', licence_number: null });
    expect(await createDriver(deps, { fleetId: fleet.id, name: 'Luis', licenceNumber: ' M-1 ', licenceExpiresOn: '2027-01-31' })).toMatchObject({ licence_number: 'M-1' });
    for (const licenceExpiresOn of ['2027-02-29', '2027-13-01', '31/01/2027', '0000-01-01', '']) {
      await expect(createDriver(deps, { fleetId: fleet.id, name: 'Ana', licenceExpiresOn }), licenceExpiresOn).rejects.toMatchObject({
        details: [{ path: 'licenceExpiresOn' }],
      });
    }
    await expect(createDriver(deps, { fleetId: 'nope', name: 'Ana', licenceExpiresOn: '2027-01-01' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates devices in the vehicle fleet, whose key is returned once and found again by its hash', async () => {
    const fleet = await createFleet(deps, { name: 'Devices' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'DEV1' });
    const device = await createDevice(deps, { vehicleId: vehicle.id, name: 'Dashcam' });
    expect(device).toMatchObject({
      fleet_id: fleet.id,
      vehicle_id: vehicle.id,
      name: 'Dashcam',
      status: 'active',
      key_prefix: device.key.slice(0, 12),
      key_expires_at: '2026-08-30T08:00:00.000Z', // 90 days after the clock's now
      created_at: '2026-06-01T08:00:00.000Z',
    });
    const found = await db.kysely.selectFrom('devices').selectAll().where('key_hash', '=', await hashDeviceKey(device.key)).executeTakeFirstOrThrow();
    expect(found.id).toBe(device.id);
    expect(JSON.stringify(found)).not.toContain(device.key);
    expect((await createDevice(deps, { vehicleId: vehicle.id })).name).toBe('Camera DEV1');
    await expect(createDevice(deps, { vehicleId: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates users with unique case-insensitive emails and hashed passwords', async () => {
    const fleet = await createFleet(deps, { name: 'Users' });
    const owner = await createUser(deps, { fleetId: fleet.id, email: ' Boss@Example.com ', password: 'long-enough-pass', role: 'owner' });
    expect(owner).toEqual({ id: expect.any(String), fleet_id: fleet.id, email: 'boss@example.com', name: '', role: 'owner', created_at: '2026-06-01T08:00:00.000Z' });
    const row = await db.kysely.selectFrom('users').select('password_hash').where('id', '=', owner.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword('long-enough-pass', row.password_hash)).toBe(true);
    await expect(createUser(deps, { fleetId: fleet.id, email: 'boss@example.COM', password: 'long-enough-pass', role: 'viewer' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createUser(deps, { fleetId: fleet.id, email: 'not-an-email', password: 'long-enough-pass', role: 'viewer' })).rejects.toMatchObject({ details: [{ path: 'email' }] });
    await expect(createUser(deps, { fleetId: null, email: 'c@b.co', password: 'short', role: 'admin' })).rejects.toMatchObject({ details: [{ path: 'password' }] });
    await expect(createUser(deps, { fleetId: 'nope', email: 'v@b.co', password: 'long-enough-pass', role: 'viewer' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps platform admins out of fleets and everyone else in one', async () => {
    const fleet = await createFleet(deps, { name: 'Roles' });
    await expect(createUser(deps, { fleetId: fleet.id, email: 'a@b.co', password: 'long-enough-pass', role: 'admin' })).rejects.toMatchObject({ details: [{ path: 'fleetId' }] });
    await expect(createUser(deps, { fleetId: null, email: 'o@b.co', password: 'long-enough-pass', role: 'owner' })).rejects.toMatchObject({ details: [{ path: 'fleetId' }] });
    await expect(createUser(deps, { fleetId: null, email: 'ops@b.co', password: 'long-enough-pass', role: 'admin', name: 'Ops' })).resolves.toMatchObject({ fleet_id: null, role: 'admin', name: 'Ops' });
  });

  it('lists fleets with their counts', async () => {
    const fleet = await createFleet(deps, { name: 'Counted' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'C1' });
    await createVehicle(deps, { fleetId: fleet.id, plate: 'C2' });
    await createDevice(deps, { vehicleId: vehicle.id });
    await createDriver(deps, { fleetId: fleet.id, name: 'Eva', licenceExpiresOn: '2027-01-01' });
    const fleets = await listFleets(deps);
    expect(fleets.find((f) => f.id === fleet.id)).toEqual({ ...fleet, vehicles: 2, drivers: 1, devices: 1 });
    expect(fleets.find((f) => f.name === 'Radio Taxi')).toMatchObject({ vehicles: 0, drivers: 0, devices: 0 });
  });
});
