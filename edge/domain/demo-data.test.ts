import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite, createTestPostgres, postgresAvailable } from '../../e2e/support/test-databases.ts';
import type { DomainDeps } from './deps.ts';
import { hashDeviceKey } from './device-keys.ts';
import { seedDemoData, type DemoData } from './demo-data.ts';
import { currentDemoDeviceKey } from './demo-device-keys.ts';
import { currentDrivers } from './driver-assignments.ts';
import { licenceStatus } from './licence-status.ts';
import { verifyPassword } from './passwords.ts';

describe('demo data', () => {
  let db: Db;
  let deps: DomainDeps;
  let demo: DemoData;
  // Late in the UTC day: licence dates are whole UTC days from clock.now(), as the drivers API counts them.
  const clock = createManualClock('2026-06-01T23:30:00Z');

  beforeAll(async () => {
    db = await createTestPglite();
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
    demo = (await seedDemoData(deps))!;
  });
  afterAll(() => db.close());

  it('creates one city fleet (Dallas time) with five taxis, six drivers and a road and a cabin camera per taxi', async () => {
    expect(demo).not.toBeNull();
    const fleet = await db.kysely.selectFrom('fleets').selectAll().executeTakeFirstOrThrow();
    expect(fleet).toMatchObject({ id: demo.fleet.id, name: 'Taxis Demo', timezone: 'America/Chicago', locale: 'es', speed_limit_kmh: 100 });
    expect(demo.vehicles).toHaveLength(5);
    // Texas plates: three letters, a dash, four digits.
    for (const v of demo.vehicles) expect(v.plate).toMatch(/^[A-Z]{3}-\d{4}$/);
    expect(demo.drivers).toHaveLength(6);
    expect(demo.devices.map((d) => d.vehicle_id)).toEqual(demo.vehicles.flatMap((v) => [v.id, v.id]));
    expect(demo.devices.slice(0, 2).map((d) => d.name)).toEqual([`Road camera ${demo.vehicles[0].plate}`, `Cabin camera ${demo.vehicles[0].plate}`]);
  });

  it('puts a driver with a licence that is still valid in every taxi; the expired licence drives none', async () => {
    const current = await currentDrivers(db.kysely, demo.vehicles.map((v) => v.id));
    const atTheWheel = demo.vehicles.map((v) => current.get(v.id)?.name);
    expect(atTheWheel).toEqual(['Lucía Fernández', 'Marcus Johnson', 'Javier Morales', 'Aisha Okafor', 'Tom Nguyen']);
    expect(atTheWheel).not.toContain('Carmen Ortiz');
  });

  it('dates the licences relative to the clock: one expired, one expiring within a week, the rest fine', () => {
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    const statuses = demo.drivers.map((d) => licenceStatus(d.licence_expires_on, today));
    expect(statuses.filter((s) => s === 'expired')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'expires_within_7_days')).toHaveLength(1);
    expect(demo.drivers.find((d) => d.name === 'Carmen Ortiz')!.licence_expires_on).toBe('2026-05-29');
    expect(demo.drivers.find((d) => d.name === 'Javier Morales')!.licence_expires_on).toBe('2026-06-06');
  });

  it('creates working logins with fresh random passwords', async () => {
    expect(demo.admin.email).toBe('admin@taxiwatch.local');
    expect(demo.owner.email).toBe('owner@taxiwatch.local');
    expect(demo.admin.password.length).toBeGreaterThanOrEqual(16);
    expect(demo.owner.password).not.toBe(demo.admin.password);
    const users = await db.kysely.selectFrom('users').selectAll().orderBy('email').execute();
    expect(users.map((u) => [u.email, u.role, u.fleet_id])).toEqual([
      ['admin@taxiwatch.local', 'admin', null],
      ['owner@taxiwatch.local', 'owner', demo.fleet.id],
    ]);
    expect(await verifyPassword(demo.admin.password, users[0].password_hash)).toBe(true);
    expect(await verifyPassword(demo.owner.password, users[1].password_hash)).toBe(true);
  });

  it('returns device keys that authenticate their device, and derives the same keys again for the demo simulator', async () => {
    for (const device of demo.devices) {
      const row = await db.kysely.selectFrom('devices').selectAll().where('key_hash', '=', await hashDeviceKey(device.key)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ id: device.id, vehicle_id: device.vehicle_id, fleet_id: demo.fleet.id, key_prefix: device.key.slice(0, 12) });
      expect(await currentDemoDeviceKey(db.kysely, row)).toBe(device.key);
    }
    expect(new Set(demo.devices.map((d) => d.key)).size).toBe(demo.devices.length);
    // A key the owner renews is the device's own from then on: the demo no longer drives it.
    const renewed = { ...(await db.kysely.selectFrom('devices').selectAll().where('id', '=', demo.devices[0].id).executeTakeFirstOrThrow()), key_hash: await hashDeviceKey('twd_renewed') };
    expect(await currentDemoDeviceKey(db.kysely, renewed)).toBeNull();
  });

  it('does nothing once any fleet exists', async () => {
    expect(await seedDemoData(deps)).toBeNull();
    expect(await db.kysely.selectFrom('fleets').select('id').execute()).toHaveLength(1);
    expect(await db.kysely.selectFrom('users').select('id').execute()).toHaveLength(2);
  });
});

// Two starts at once: only one may seed, and the other must return null rather than fail.
describe.skipIf(!(await postgresAvailable()))('demo data on Postgres, two starts racing', () => {
  let pg: Awaited<ReturnType<typeof createTestPostgres>>;
  beforeAll(async () => {
    pg = await createTestPostgres();
  });
  afterAll(() => pg?.drop());

  it('seeds exactly once', async () => {
    const clock = createManualClock();
    const deps = { db: pg.db.kysely, clock, ids: createUuidV7Ids(clock) };
    const results = await Promise.all([seedDemoData(deps), seedDemoData(deps)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await pg.db.kysely.selectFrom('fleets').select('id').execute()).toHaveLength(1);
  });
});
