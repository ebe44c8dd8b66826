/**
 * The backup and restore commands of docs/operate/backups.md, run exactly as written: a database with a fleet, an
 * owner and a vehicle (and, embedded, a blob on disk) is backed up, the original is dropped, the copy is restored into
 * a fresh database or DATA_DIR, and a server started on the copy lets the owner log in and see the vehicle.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemClock } from '../../edge/adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createPgliteDb } from '../../edge/adapters/db/pglite-db.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import { createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import type { Db } from '../../edge/ports/db.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from '../support/spawn-server.ts';
import { createThrowawayDatabase, createTestPostgres, postgresAvailable, TEST_POSTGRES_URL } from '../support/test-databases.ts';
import { runDocumented } from './run-documented.ts';

const postgresUp = await postgresAvailable();
const cleanups: (() => Promise<unknown>)[] = [];
const OWNER = { email: 'owner@backup.test', password: 'backup-password-1' };

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A fleet, its owner and a vehicle with this plate. */
async function seed(db: Db, plate: string) {
  const clock = createSystemClock();
  const deps = { db: db.kysely, clock, ids: createUuidV7Ids(clock) };
  const fleetId = (await createFleet(deps, { name: 'Backed up' })).id;
  await createUser(deps, { fleetId, email: OWNER.email, password: OWNER.password, role: 'owner' });
  await createVehicle(deps, { fleetId, plate });
}

async function ok(command: string, env: Record<string, string | undefined>, cwd: string) {
  const result = await runDocumented(command, env, { cwd });
  expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** The smoke check: a Node server on the restored copy, the owner logs in and lists the vehicles. */
async function vehiclesSeenOnRestoredCopy(env: Record<string, string | undefined>): Promise<string[]> {
  const port = await freePort();
  const server: RunningServer = startProcess(join(process.cwd(), 'node_modules/.bin/tsx'), ['edge/runtime/node.ts'], { DEMO_DATA: 'false', ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined, REDIS_URL: undefined, ...env }, port);
  cleanups.push(() => server.stop());
  await waitForHttp(`${server.url}/api/v1/health/`, server, 90_000, [200]);
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  expect(login.status).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const res = await fetch(`${server.url}/api/v1/vehicles`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: { plate: string }[] };
  return body.data.map((v) => v.plate);
}

describe.skipIf(!postgresUp)('Postgres backup and restore as documented', () => {
  it('pg_dump, then pg_restore into an empty database that a server then serves', { timeout: 150_000 }, async () => {
    const work = await tempDir('taxiwatch-backup-pg-');
    const original = await createTestPostgres();
    let originalDropped = false;
    cleanups.push(() => (originalDropped ? Promise.resolve() : original.drop()));
    await seed(original.db, 'BK-PG-1');
    await ok(`pg_dump --format=custom --file=taxiwatch.dump "$DATABASE_URL"`, { DATABASE_URL: original.url }, work);
    await original.drop();
    originalDropped = true;

    const restored = await createThrowawayDatabase(TEST_POSTGRES_URL, 'taxiwatch_restored');
    cleanups.push(() => restored.drop());
    await ok(`pg_restore --no-owner --exit-on-error --single-transaction --dbname="$RESTORED_DATABASE_URL" taxiwatch.dump`, { RESTORED_DATABASE_URL: restored.url }, work);
    expect(await vehiclesSeenOnRestoredCopy({ DATABASE_URL: restored.url, DATA_DIR: await tempDir('taxiwatch-backup-pg-data-') })).toEqual(['BK-PG-1']);
  });
});

describe('embedded database (PGlite) backup and restore as documented', () => {
  it('archives a stopped DATA_DIR, unpacks it into a new one that a server then serves, blobs included', { timeout: 150_000 }, async () => {
    // The commands name ./data, the default DATA_DIR, from the folder the server starts in: here a scratch folder.
    const originalHome = await tempDir('taxiwatch-backup-orig-');
    const original = join(originalHome, 'data');
    await mkdir(join(original, 'pglite'), { recursive: true });
    const db = await createPgliteDb({ dataDir: join(original, 'pglite') });
    await migrateToLatest(db.kysely);
    await seed(db, 'BK-LITE-1');
    await db.close();
    await mkdir(join(original, 'blobs', 'frames'), { recursive: true });
    await writeFile(join(original, 'blobs', 'frames', 'kept.jpg'), 'frame bytes');

    await ok(`tar -czf taxiwatch-data.tgz -C data .`, {}, originalHome);
    const restoredHome = await tempDir('taxiwatch-backup-restored-');
    await rename(join(originalHome, 'taxiwatch-data.tgz'), join(restoredHome, 'taxiwatch-data.tgz'));
    await rm(original, { recursive: true, force: true });

    await ok(`mkdir data && tar -xzf taxiwatch-data.tgz -C data`, {}, restoredHome);
    const restored = join(restoredHome, 'data');
    expect(await readFile(join(restored, 'blobs', 'frames', 'kept.jpg'), 'utf8')).toBe('frame bytes');
    expect(await vehiclesSeenOnRestoredCopy({ DATABASE_URL: undefined, DATA_DIR: restored })).toEqual(['BK-LITE-1']);
  });
});
