import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite, createTestPostgres, postgresAvailable } from '../../e2e/support/test-databases.ts';
import type { DomainDeps } from './deps.ts';
import { hashDeviceKey } from './device-keys.ts';
import { formatDemoBanner, seedDemoData, type DemoData } from './demo-data.ts';
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

  it('creates the demo fleet with three taxis, drivers and devices', async () => {
    expect(demo).not.toBeNull();
    const fleet = await db.kysely.selectFrom('fleets').selectAll().executeTakeFirstOrThrow();
    expect(fleet).toMatchObject({ id: demo.fleet.id, name: 'Taxis Demo', timezone: 'Europe/Madrid', locale: 'es', speed_limit_kmh: 50 });
    expect(demo.vehicles).toHaveLength(3);
    // Spanish plates since 2000: four digits and three consonants.
    for (const v of demo.vehicles) expect(v.plate).toMatch(/^\d{4} [BCDFGHJKLMNPRSTVWXYZ]{3}$/);
    expect(demo.drivers).toHaveLength(3);
    expect(demo.devices.map((d) => d.vehicle_id)).toEqual(demo.vehicles.map((v) => v.id));
  });

  it('puts the two drivers with a valid licence in the first two taxis, and nobody in the third', async () => {
    const current = await currentDrivers(db.kysely, demo.vehicles.map((v) => v.id));
    expect(demo.vehicles.map((v) => current.get(v.id)?.name ?? null)).toEqual(['Lucía Fernández', 'Javier Morales', null]);
  });

  it('dates the licences relative to the clock: one expired, one expiring within a week, one fine', () => {
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    expect(demo.drivers.map((d) => licenceStatus(d.licence_expires_on, today)).sort()).toEqual(['expired', 'expires_within_7_days', 'valid']);
    expect(demo.drivers.map((d) => d.licence_expires_on).sort()).toEqual(['2026-05-29', '2026-06-06', '2027-07-06']);
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

  it('returns device keys that authenticate their device', async () => {
    for (const device of demo.devices) {
      const row = await db.kysely.selectFrom('devices').selectAll().where('key_hash', '=', await hashDeviceKey(device.key)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ id: device.id, vehicle_id: device.vehicle_id, fleet_id: demo.fleet.id });
    }
  });

  it('prints a banner with the URL, both logins and every key, said to be shown once', () => {
    const banner = formatDemoBanner(demo, 'http://localhost:3000/');
    expect(banner).toContain('http://localhost:3000/api/v1/health/');
    expect(banner).toContain('http://localhost:3000/api/docs');
    expect(banner).toMatch(/ONLY ONCE/);
    for (const text of [demo.admin.email, demo.admin.password, demo.owner.email, demo.owner.password]) expect(banner).toContain(text);
    for (const device of demo.devices) expect(banner).toContain(device.key);
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
