import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { verifyPassword } from '../domain/passwords.ts';
import type { Db } from '../ports/db.ts';
import { createTestPglite } from '../../e2e/support/test-databases.ts';
import { checkArgs, parseArgs, runAdminCommand, USAGE, UsageError } from './admin-commands.ts';

describe('admin commands', () => {
  let db: Db;
  let deps: DomainDeps;
  beforeAll(async () => {
    db = await createTestPglite();
    const clock = createManualClock('2026-06-01T08:00:00Z');
    deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  });
  afterAll(() => db.close());

  const run = (line: string[]) => runAdminCommand(deps, parseArgs(line));
  const created = async <T = { id: string }>(line: string[]) => (await run(line)).result as T;

  it('parses flags, --flag=value and --json', () => {
    expect(parseArgs(['create-fleet', '--name', 'A B', '--locale=en', '--json'])).toEqual({ command: 'create-fleet', flags: { name: 'A B', locale: 'en' }, json: true });
    expect(parseArgs(['create-admin', '--password=--dashes--']).flags).toEqual({ password: '--dashes--' });
    expect(parseArgs([])).toEqual({ command: 'help', flags: {}, json: false });
    expect(() => parseArgs(['create-fleet', '--name'])).toThrow(UsageError);
    expect(() => parseArgs(['create-fleet', '--name', '--json'])).toThrow('--name needs a value');
    expect(() => parseArgs(['create-fleet', 'stray'])).toThrow('unexpected argument "stray"');
  });

  it('checks the command line before any database work', () => {
    expect(() => checkArgs(parseArgs(['create-fleet', '--name', 'X', '--speed-limt', '50']))).toThrow('create-fleet has no --speed-limt option');
    expect(() => checkArgs(parseArgs(['create-vehicle', '--plate', 'X']))).toThrow('missing --fleet');
    expect(() => checkArgs(parseArgs(['drop-everything']))).toThrow('unknown command "drop-everything"');
    expect(() => checkArgs(parseArgs(['list-fleets']))).not.toThrow();
  });

  it('create-fleet takes its options and answers snake_case JSON', async () => {
    const outcome = await run(['create-fleet', '--name', 'CLI', '--timezone', 'America/Mexico_City', '--locale', 'en', '--speed-limit', '60']);
    expect(outcome.result).toMatchObject({ name: 'CLI', timezone: 'America/Mexico_City', locale: 'en', speed_limit_kmh: 60, created_at: '2026-06-01T08:00:00.000Z' });
    expect(outcome.summary).toMatch(/^fleet \S+ "CLI" \(America\/Mexico_City, en, 60 km\/h\)$/);
    await expect(run(['create-fleet', '--name', 'X', '--speed-limit', 'fast'])).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'speedLimitKmh' }] });
    await expect(run(['create-fleet', '--name', 'X', '--timezone', 'Nowhere/City'])).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run(['create-fleet', '--name', 'X', '--locale', 'fr'])).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('create-vehicle normalises the plate and refuses duplicates and unknown fleets', async () => {
    const fleet = await created(['create-fleet', '--name', 'Vehicles']);
    expect(await created(['create-vehicle', '--fleet', fleet.id, '--plate', 'abc123'])).toMatchObject({ fleet_id: fleet.id, plate: 'ABC123' });
    await expect(run(['create-vehicle', '--fleet', fleet.id, '--plate', 'ABC123'])).rejects.toMatchObject({ code: 'conflict' });
    await expect(run(['create-vehicle', '--fleet', 'nope', '--plate', 'X1'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('create-driver needs a real expiry date and an existing fleet', async () => {
    const fleet = await created(['create-fleet', '--name', 'Drivers']);
    const driver = await created(['create-driver', '--fleet', fleet.id, '--name', 'Luis', '--licence-expires', '2027-01-31', '--licence-number', 'M-1']);
    expect(driver).toMatchObject({ name: 'Luis', licence_expires_on: '2027-01-31', licence_number: 'M-1' });
    await expect(run(['create-driver', '--fleet', fleet.id, '--name', 'Luis', '--licence-expires', '2027-02-30'])).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run(['create-driver', '--fleet', 'nope', '--name', 'A', '--licence-expires', '2027-01-01'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('create-device prints the key once, in the JSON and the summary', async () => {
    const fleet = await created(['create-fleet', '--name', 'Devices']);
    const vehicle = await created(['create-vehicle', '--fleet', fleet.id, '--plate', 'D1']);
    const outcome = await run(['create-device', '--vehicle', vehicle.id]);
    const device = outcome.result as { key: string; fleet_id: string; key_expires_at: string };
    expect(device).toMatchObject({ fleet_id: fleet.id, key: expect.stringMatching(/^twd_/), key_expires_at: '2026-08-30T08:00:00.000Z' });
    expect(outcome.summary).toContain(`key (shown once): ${device.key}`);
    await expect(run(['create-device', '--vehicle', 'nope'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('create-admin makes a platform admin with a working password', async () => {
    const admin = await created<{ id: string; role: string; fleet_id: null; email: string }>(['create-admin', '--email', 'Ops@Example.com', '--password', 'admin-password-1']);
    expect(admin).toMatchObject({ role: 'admin', fleet_id: null, email: 'ops@example.com' });
    const row = await db.kysely.selectFrom('users').select('password_hash').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(await verifyPassword('admin-password-1', row.password_hash)).toBe(true);
    await expect(run(['create-admin', '--email', 'ops@example.com', '--password', 'admin-password-1'])).rejects.toMatchObject({ code: 'conflict' });
    await expect(run(['create-admin', '--email', 'nope', '--password', 'admin-password-1'])).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run(['create-admin', '--email', 'x@example.com', '--password', 'short'])).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('create-user and create-api-key provision fleet users and scoped keys', async () => {
    const fleet = await created(['create-fleet', '--name', 'People']);
    expect(await created(['create-user', '--fleet', fleet.id, '--email', 'v@people.test', '--password', 'people-password', '--role', 'viewer'])).toMatchObject({ role: 'viewer', fleet_id: fleet.id });
    await expect(run(['create-user', '--fleet', fleet.id, '--email', 'a@people.test', '--password', 'people-password', '--role', 'admin'])).rejects.toThrow(UsageError);
    const key = await run(['create-api-key', '--fleet', fleet.id, '--scopes', 'read:vehicles, read:incidents']);
    expect(key.result).toMatchObject({ scopes: ['read:incidents', 'read:vehicles'], key: expect.stringMatching(/^twk_/) });
    await expect(run(['create-api-key', '--fleet', fleet.id, '--scopes', 'everything'])).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('list-fleets wraps the fleets with their counts in one object', async () => {
    const outcome = await run(['list-fleets']);
    const { fleets } = outcome.result as { fleets: { name: string; vehicles: number; drivers: number; devices: number }[] };
    expect(fleets.map((f) => f.name)).toEqual(['CLI', 'Vehicles', 'Drivers', 'Devices', 'People']);
    expect(fleets.find((f) => f.name === 'Devices')).toMatchObject({ vehicles: 1, drivers: 0, devices: 1 });
    expect(outcome.summary.split('\n')).toHaveLength(5);
  });

  it('help prints the usage; bad command lines are usage errors', async () => {
    expect((await run(['help'])).summary).toBe(USAGE);
    await expect(run(['drop-everything'])).rejects.toThrow(UsageError);
    await expect(run(['create-vehicle', '--plate', 'X'])).rejects.toThrow('missing --fleet');
    await expect(run(['list-fleets', '--fleet', 'x'])).rejects.toThrow('list-fleets has no --fleet option');
  });

  // After list-fleets, which counts the fleets the tests above create.
  it('assign-driver puts a driver of the vehicle\'s fleet in the taxi, and none takes them out', async () => {
    const fleet = await created(['create-fleet', '--name', 'Assign']);
    const other = await created(['create-fleet', '--name', 'Assign elsewhere']);
    const vehicle = await created<{ id: string }>(['create-vehicle', '--fleet', fleet.id, '--plate', 'AS1']);
    const driver = await created(['create-driver', '--fleet', fleet.id, '--name', 'Rosa', '--licence-expires', '2027-01-31']);
    const stranger = await created(['create-driver', '--fleet', other.id, '--name', 'Stranger', '--licence-expires', '2027-01-31']);
    const assigned = await run(['assign-driver', '--vehicle', vehicle.id, '--driver', driver.id]);
    expect(assigned.result).toEqual({ vehicle_id: vehicle.id, driver: { id: driver.id, name: 'Rosa', since: '2026-06-01T08:00:00.000Z' }, changed: true });
    expect(assigned.summary).toBe('vehicle AS1 is driven by Rosa since 2026-06-01T08:00:00.000Z');
    await expect(run(['assign-driver', '--vehicle', vehicle.id, '--driver', stranger.id])).rejects.toMatchObject({ code: 'not_found' });
    await expect(run(['assign-driver', '--vehicle', 'nope', '--driver', driver.id])).rejects.toMatchObject({ code: 'not_found' });
    expect((await run(['assign-driver', '--vehicle', vehicle.id, '--driver', 'none'])).summary).toBe('vehicle AS1 has no driver');
  });

  it('create-device takes a camera role (cabin by default) and set-camera-role changes it', async () => {
    const fleet = await created(['create-fleet', '--name', 'Roles']);
    const vehicle = await created(['create-vehicle', '--fleet', fleet.id, '--plate', 'R1']);
    expect(await created(['create-device', '--vehicle', vehicle.id])).toMatchObject({ camera_role: 'cabin' });
    const road = await created<{ id: string; camera_role: string }>(['create-device', '--vehicle', vehicle.id, '--camera-role', 'road']);
    expect(road.camera_role).toBe('road');
    await expect(run(['create-device', '--vehicle', vehicle.id, '--camera-role', 'roof'])).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await run(['set-camera-role', '--device', road.id, '--camera-role', 'dual'])).result).toEqual({ device_id: road.id, camera_role: 'dual' });
    const row = await db.kysely.selectFrom('devices').select('camera_role').where('id', '=', road.id).executeTakeFirstOrThrow();
    expect(row.camera_role).toBe('dual');
    await expect(run(['set-camera-role', '--device', road.id, '--camera-role', 'sideways'])).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(run(['set-camera-role', '--device', 'nope', '--camera-role', 'road'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reset-password prints a generated password once; reset-mfa says what the next login asks', async () => {
    await run(['create-admin', '--email', 'lost@cli.test', '--password', 'first-password-1']);
    const reset = await run(['reset-password', '--email', 'lost@cli.test']);
    const password = (reset.result as { password: string }).password;
    expect(reset.summary).toBe(`password of admin lost@cli.test reset; 0 session(s) ended\nnew password (shown once): ${password}`);
    const hash = (await db.kysely.selectFrom('users').select('password_hash').where('email', '=', 'lost@cli.test').executeTakeFirstOrThrow()).password_hash;
    expect(await verifyPassword(password, hash)).toBe(true);
    expect((await run(['reset-password', '--email', 'lost@cli.test', '--password', 'second-password-2'])).summary).not.toContain('shown once');
    expect((await run(['reset-mfa', '--email', 'lost@cli.test'])).summary).toBe('second factor of admin lost@cli.test turned off; the next login enrols a new authenticator app');
    await expect(run(['reset-mfa'])).rejects.toThrow('missing --email');
  });
});
