/**
 * The migration and admin CLI commands of docs/operate/admin-cli.md (and the others that name them), run exactly as
 * written against a throwaway Postgres database given as DATABASE_URL; FLEET_ID, `<vehicle id>` and `'…'` are
 * filled with the ids the earlier commands printed and with passwords.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemClock } from '../../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createPostgresDb } from '../../edge/adapters/db/postgres-db.ts';
import { createUser } from '../../edge/domain/provisioning.ts';
import { verifyPassword } from '../../edge/domain/passwords.ts';
import { createThrowawayDatabase, postgresAvailable, TEST_POSTGRES_URL } from '../support/test-databases.ts';
import { fillPlaceholders, runDocumented } from './run-documented.ts';

const postgresUp = await postgresAvailable();

describe.skipIf(!postgresUp)('admin CLI and migration commands as documented', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  const ids: Record<string, string> = {};
  const env = () => ({ DATABASE_URL: database.url, DATA_DIR: dataDir });
  const ok = async (command: string) => {
    const result = await runDocumented(command, env());
    expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const json = async (command: string) => JSON.parse((await ok(command)).trim().split('\n').at(-1)!);

  beforeAll(async () => {
    database = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_docs');
    dataDir = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-admin-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates the database a command line names, and again from the environment', { timeout: 120_000 }, async () => {
    const url = database.url.replace(/^postgres:\/\//, '');
    const first = await runDocumented(fillPlaceholders(`DATABASE_URL=postgres://… npm run migrate`, { '…': url }), { DATABASE_URL: undefined, DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      expect((await client.query('select count(*)::int as n from kysely_migration')).rows[0].n).toBeGreaterThan(10);
    } finally {
      await client.end();
    }
    await ok(`npm run migrate`);
  });

  it('prints the usage', { timeout: 60_000 }, async () => {
    expect(await ok(`npm run admin`)).toContain('Usage: npm run admin -- <command>');
    expect(await ok(`npm run admin -- help`)).toContain('reset-password');
    expect(await ok(fillPlaceholders(`npm run admin -- <command>`, { '<command>': 'list-fleets' }))).toContain('no fleets');
  });

  it('provisions a fleet, its taxi, driver, device, people and API key', { timeout: 180_000 }, async () => {
    ids.fleet = (await json(`npm run admin -- create-fleet --name "Radio Taxi" --timezone Europe/Madrid --locale es --speed-limit 50 --json`)).id;
    const fill = (command: string, extra: Record<string, string | string[]> = {}) =>
      fillPlaceholders(command, { ...(command.includes('FLEET_ID') ? { FLEET_ID: ids.fleet } : {}), ...(command.includes('VEHICLE_ID') ? { VEHICLE_ID: ids.vehicle } : {}), ...extra });
    ids.vehicle = (await json(fill(`npm run admin -- create-vehicle --fleet FLEET_ID --plate 1234ABC --json`))).id;
    ids.driver = (await json(fill(`npm run admin -- create-driver --fleet FLEET_ID --name "Ana Ruiz" --licence-expires 2027-05-31 --json`))).id;
    const assigned = await json(fill(`npm run admin -- assign-driver --vehicle VEHICLE_ID --driver DRIVER_ID --json`, { DRIVER_ID: ids.driver }));
    expect(assigned).toMatchObject({ vehicle_id: ids.vehicle, driver: { id: ids.driver, name: 'Ana Ruiz' }, changed: true });
    expect((await json(fill(`npm run admin -- create-device --vehicle VEHICLE_ID --json`))).key).toMatch(/^twd_/);
    expect(await ok(fill(`npm run admin -- create-device --vehicle <vehicle id>`, { '<vehicle id>': ids.vehicle }))).toMatch(/key \(shown once\): twd_/);
    const road = await json(fill(`npm run admin -- create-device --vehicle VEHICLE_ID --camera-role road --json`));
    expect(road).toMatchObject({ camera_role: 'road' });
    expect(await json(fill(`npm run admin -- set-camera-role --device DEVICE_ID --camera-role dual --json`, { DEVICE_ID: road.id }))).toEqual({ device_id: road.id, camera_role: 'dual' });
    expect(await json(fill(`npm run admin -- create-admin --email ops@example.com --password '…' --json`, { '…': 'ops-password-12345' }))).toMatchObject({ role: 'admin', email: 'ops@example.com' });
    expect(await json(fill(`npm run admin -- create-user --fleet FLEET_ID --email viewer@example.com --password '…' --role viewer --json`, { '…': 'viewer-password-123' }))).toMatchObject({ role: 'viewer' });
    expect((await json(fill(`npm run admin -- create-api-key --fleet FLEET_ID --scopes read:vehicles,read:incidents --json`))).key).toMatch(/^twk_/);
    const { fleets } = await json(`npm run admin -- list-fleets --json`);
    expect(fleets).toEqual([expect.objectContaining({ id: ids.fleet, name: 'Radio Taxi', vehicles: 1, drivers: 1, devices: 3 })]);
  });

  it('gets a login back: a new password, a chosen one, and the second factor reset', { timeout: 120_000 }, async () => {
    const db = createPostgresDb({ connectionString: database.url });
    const clock = createSystemClock();
    const deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
    const hashOf = async (email: string) => (await db.kysely.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    try {
      await createUser(deps, { fleetId: ids.fleet, email: 'owner@taxiwatch.local', password: 'forgotten-password-1', role: 'owner' });
      await createUser(deps, { fleetId: null, email: 'admin@taxiwatch.local', password: 'admin-password-123', role: 'admin' });
      await db.kysely.updateTable('users').set({ mfa_enabled: true, totp_secret: 'JBSWY3DPEHPK3PXP' }).where('email', '=', 'admin@taxiwatch.local').execute();

      const generated = /new password \(shown once\): (\S+)/.exec(await ok(`npm run admin -- reset-password --email owner@taxiwatch.local`))?.[1];
      expect(generated).toBeTruthy();
      expect(await verifyPassword(generated!, await hashOf('owner@taxiwatch.local'))).toBe(true);
      await ok(fillPlaceholders(`npm run admin -- reset-password --email owner@taxiwatch.local --password '…'`, { '…': 'my-own-password-42' }));
      expect(await verifyPassword('my-own-password-42', await hashOf('owner@taxiwatch.local'))).toBe(true);

      expect(await ok(`npm run admin -- reset-mfa --email admin@taxiwatch.local`)).toContain('the next login enrols a new authenticator app');
      const admin = await db.kysely.selectFrom('users').select(['mfa_enabled', 'totp_secret']).where('email', '=', 'admin@taxiwatch.local').executeTakeFirstOrThrow();
      expect(admin).toEqual({ mfa_enabled: false, totp_secret: null });

      // Without an email, as the README names them: the usage, and exit code 2.
      for (const command of [`npm run admin -- reset-password`, `npm run admin -- reset-mfa`]) {
        const bare = await runDocumented(command, env());
        expect(bare.code).toBe(2);
        expect(bare.stderr).toContain('missing --email');
      }
    } finally {
      await db.close();
    }
  });
});
