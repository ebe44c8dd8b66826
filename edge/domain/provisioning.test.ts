import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite } from '../../e2e/support/test-databases.ts';
import { bootstrapAdmin } from './bootstrap-admin.ts';
import type { DomainDeps } from './deps.ts';
import { hashDeviceKey } from './device-keys.ts';
import { formatDemoBanner, seedDemoData } from './demo-data.ts';
import { verifyPassword } from './passwords.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle, listFleets } from './provisioning.ts';

describe('provisioning', () => {
  let db: Db;
  let deps: DomainDeps;
  const clock = createManualClock('2026-06-01T08:00:00Z');

  beforeAll(async () => {
    db = await createTestPglite();
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  });
  afterAll(() => db.close());

  it('creates a fleet with defaults and validates its fields', async () => {
    const fleet = await createFleet(deps, { name: '  Radio Taxi  ' });
    expect(fleet).toMatchObject({ name: 'Radio Taxi', timezone: 'UTC', locale: 'es', speed_limit_kmh: 90, created_at: '2026-06-01T08:00:00.000Z' });
    await expect(createFleet(deps, { name: 'X', timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'timezone' }] });
    await expect(createFleet(deps, { name: '' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createFleet(deps, { name: 'X', speedLimitKmh: 5 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createFleet(deps, { name: 'X', locale: 'fr' as 'es' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('creates vehicles with normalised plates, unique per fleet', async () => {
    const fleet = await createFleet(deps, { name: 'Plates' });
    const other = await createFleet(deps, { name: 'Other' });
    expect((await createVehicle(deps, { fleetId: fleet.id, plate: ' 1234abc ' })).plate).toBe('1234ABC');
    await expect(createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createVehicle(deps, { fleetId: other.id, plate: '1234ABC' })).resolves.toMatchObject({ fleet_id: other.id });
    await expect(createVehicle(deps, { fleetId: 'nope', plate: 'A' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates drivers with a real licence expiry date', async () => {
    const fleet = await createFleet(deps, { name: 'Drivers' });
    const driver = await createDriver(deps, { fleetId: fleet.id, name: 'Ana', licenceExpiresOn: '2027-02-28' });
    expect(driver).toMatchObject({ name: 'Ana', licence_expires_on: '2027-02-28', licence_number: null });
    await expect(createDriver(deps, { fleetId: fleet.id, name: 'Ana', licenceExpiresOn: '2027-02-30' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('creates devices whose key is returned once and stored only as a hash', async () => {
    const fleet = await createFleet(deps, { name: 'Devices' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: 'DEV1' });
    const device = await createDevice(deps, { vehicleId: vehicle.id });
    expect(device).toMatchObject({ fleet_id: fleet.id, vehicle_id: vehicle.id, status: 'active', key_expires_at: '2026-08-30T08:00:00.000Z' });
    const stored = await db.kysely.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(await hashDeviceKey(device.key));
    expect(JSON.stringify(stored)).not.toContain(device.key);
    await expect(createDevice(deps, { vehicleId: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates users with unique case-insensitive emails and the admin/fleet rule', async () => {
    const fleet = await createFleet(deps, { name: 'Users' });
    const owner = await createUser(deps, { fleetId: fleet.id, email: 'Boss@Example.com', password: 'long-enough-pass', role: 'owner' });
    expect(owner.email).toBe('boss@example.com');
    const row = await db.kysely.selectFrom('users').select('password_hash').where('id', '=', owner.id).executeTakeFirstOrThrow();
    expect(await verifyPassword('long-enough-pass', row.password_hash)).toBe(true);
    await expect(createUser(deps, { fleetId: fleet.id, email: 'boss@example.COM', password: 'long-enough-pass', role: 'viewer' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createUser(deps, { fleetId: fleet.id, email: 'a@b.co', password: 'long-enough-pass', role: 'admin' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(createUser(deps, { fleetId: null, email: 'c@b.co', password: 'short', role: 'admin' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('bootstraps the first admin only once', async () => {
    expect(await bootstrapAdmin(deps, { email: 'root@example.com', password: 'bootstrap-password' })).toBe('created');
    expect(await bootstrapAdmin(deps, { email: 'other@example.com', password: 'bootstrap-password' })).toBe('exists');
    const admins = await db.kysely.selectFrom('users').select('email').where('role', '=', 'admin').execute();
    expect(admins).toEqual([{ email: 'root@example.com' }]);
  });

  it('lists fleets with their counts', async () => {
    const fleets = await listFleets(deps);
    expect(fleets.find((f) => f.name === 'Devices')).toMatchObject({ vehicles: 1, devices: 1, drivers: 0 });
  });
});

describe('demo data', () => {
  let db: Db;
  let deps: DomainDeps;
  const clock = createManualClock('2026-06-01T08:00:00Z');

  beforeAll(async () => {
    db = await createTestPglite();
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  });
  afterAll(() => db.close());

  it('seeds an empty database once, with licences relative to today and working logins', async () => {
    const demo = await seedDemoData(deps);
    expect(demo).not.toBeNull();
    expect(demo!.vehicles).toHaveLength(3);
    expect(demo!.devices).toHaveLength(3);
    expect(demo!.drivers.map((d) => d.licence_expires_on).sort()).toEqual(['2026-05-29', '2026-06-06', '2027-07-06']);
    const fleet = await db.kysely.selectFrom('fleets').selectAll().executeTakeFirstOrThrow();
    expect(fleet).toMatchObject({ timezone: 'Europe/Madrid', locale: 'es' });
    const owner = await db.kysely.selectFrom('users').selectAll().where('email', '=', demo!.owner.email).executeTakeFirstOrThrow();
    expect(owner.fleet_id).toBe(fleet.id);
    expect(await verifyPassword(demo!.owner.password, owner.password_hash)).toBe(true);

    const banner = formatDemoBanner(demo!, 'http://localhost:3000');
    expect(banner).toContain('http://localhost:3000/api/v1/health/');
    expect(banner).toContain(demo!.admin.password);
    for (const device of demo!.devices) expect(banner).toContain(device.key);

    expect(await seedDemoData(deps)).toBeNull();
    expect(await db.kysely.selectFrom('fleets').select('id').execute()).toHaveLength(1);
  });
});
