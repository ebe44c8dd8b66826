/**
 * The curl examples of docs/integrate and docs/operate, and the simulator's command lines, run exactly as written
 * against a TaxiWatch server on a free port: curl's configuration (CURL_HOME) sends the documents' localhost:3000
 * there, the variables they use ($ACCESS_TOKEN, $DEVICE_KEY, $INCIDENT …) are set in the environment, and only the
 * placeholders they mark (`…`, `<vehicle id>`) are filled in.
 */
import { serve } from '@hono/node-server';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { freePort } from '../support/spawn-server.ts';
import { curlToTestServer, fillPlaceholders, runDocumented, startDocumented } from './run-documented.ts';

const PASSWORD = 'docs-owner-password-1';
const METRICS_TOKEN = 'docs-metrics-token-0123';

describe('curl and simulator examples from the documentation', () => {
  let platform: TestPlatform;
  let server: { close(): void };
  let port: number;
  let dir: string;
  let ticking: ReturnType<typeof setInterval> | undefined;
  const env: Record<string, string> = {};
  const cleanupDirs: string[] = [];
  const ids: Record<string, string> = {};

  /**
   * The server's (manual) clock follows real time, as the simulator and `date +%s` expect, with device keys made
   * then (the ones made on the documents' dates have expired by now)...
   */
  const realTime = async () => {
    platform.clock.set(Date.now());
    ticking ??= setInterval(() => platform.clock.set(Date.now()), 100);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    env.KEY ??= (await createDevice(deps, { vehicleId: ids.vehicle })).key;
    ids.otherKey ??= (await createDevice(deps, { vehicleId: ids.otherVehicle })).key;
  };
  /** ...or stands at the instant the documents' fixed dates need. */
  const at = (iso: string) => {
    clearInterval(ticking);
    ticking = undefined;
    platform.clock.set(iso);
  };
  const curl = async (command: string, fill: Record<string, string | string[]> = {}) => {
    const text = Object.keys(fill).length ? fillPlaceholders(command, fill) : command;
    const result = await runDocumented(text, env, { cwd: dir, timeoutMs: 30_000 });
    expect(result.code, `${text}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const curlJson = async (command: string, fill: Record<string, string | string[]> = {}) => JSON.parse(await curl(command, fill));
  const storedFixes = async () => Number((await platform.db.kysely.selectFrom('gps_fixes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    port = await freePort();
    platform = await createTestPlatform({ PUBLIC_URL: `http://127.0.0.1:${port}`, METRICS_TOKEN });
    const app = createApp(platform);
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve({ close: () => s.close() }));
    });
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-doc-api-'));
    await copyFile(join(sharedDataDir(), 'images/dashcam/udacity_advlane_test1.jpg'), join(dir, 'frame.jpg'));
    Object.assign(env, await curlToTestServer(port), { METRICS_TOKEN });

    at('2026-06-01T08:00:00Z');
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Docs', timezone: 'Europe/Madrid', locale: 'en' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@taxiwatch.local', password: PASSWORD, role: 'owner' });
    ids.fleet = fleet.id;
    ids.vehicle = (await createVehicle(deps, { fleetId: fleet.id, plate: 'DOC1' })).id;
    ids.otherVehicle = (await createVehicle(deps, { fleetId: fleet.id, plate: 'DOC2' })).id;
    ids.driver = (await createDriver(deps, { fleetId: fleet.id, name: 'Ana Ruiz', licenceExpiresOn: '2027-05-31' })).id;
    env.DEVICE_KEY = (await createDevice(deps, { vehicleId: ids.vehicle })).key;
  });
  afterAll(async () => {
    clearInterval(ticking);
    server?.close();
    await platform?.close();
    if (env.CURL_HOME) await rm(env.CURL_HOME, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
    for (const d of cleanupDirs) await rm(d, { recursive: true, force: true });
  });

  it('sessions: log in, who am I, refresh, log out', { timeout: 60_000 }, async () => {
    const login = await curlJson(`curl -s localhost:3000/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"owner@taxiwatch.local","password":"…"}'`, { '…': PASSWORD });
    expect(login).toMatchObject({ token_type: 'Bearer', user: { email: 'owner@taxiwatch.local' } });
    env.ACCESS_TOKEN = login.access_token;
    expect(await curlJson(`curl -s localhost:3000/api/v1/auth/me -H "authorization: Bearer $ACCESS_TOKEN"`)).toMatchObject({ email: 'owner@taxiwatch.local' });
    const refreshed = await curlJson(`curl -s localhost:3000/api/v1/auth/refresh -H 'content-type: application/json' -d '{"refresh_token":"…"}'`, { '…': login.refresh_token });
    expect(refreshed.refresh_token).not.toBe(login.refresh_token);
    expect(await curl(`curl -s localhost:3000/api/v1/auth/logout -H 'content-type: application/json' -d '{"refresh_token":"…"}'`, { '…': refreshed.refresh_token })).toBe('');
    expect(JSON.parse(await curl(`curl -s localhost:3000/api/v1/auth/me -H "authorization: Bearer $ACCESS_TOKEN"`)).error.code).toBe('unauthorized');

    // A fresh session for the examples that follow ($TOKEN in some of them).
    const again = await curlJson(`curl -s localhost:3000/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"owner@taxiwatch.local","password":"…"}'`, { '…': PASSWORD });
    env.ACCESS_TOKEN = env.TOKEN = again.access_token;
  });

  it('who drives which taxi: assign, end, history', { timeout: 60_000 }, async () => {
    at('2026-06-01T08:10:00Z');
    const assigned = await curlJson(`curl -X PUT -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"driver_id": "<driver id>"}' http://localhost:3000/api/v1/vehicles/<vehicle id>/driver`, {
      '<driver id>': ids.driver,
      '<vehicle id>': ids.vehicle,
    });
    expect(assigned).toMatchObject({ vehicle_id: ids.vehicle, driver: { id: ids.driver }, changed: true, warnings: [] });
    at('2026-06-01T08:20:00Z');
    const ended = await curlJson(`curl -X PUT … -d '{"driver_id": null}' …/api/v1/vehicles/<vehicle id>/driver`, {
      '…': [`-H "Authorization: Bearer $TOKEN" -H 'content-type: application/json'`, 'http://localhost:3000'],
      '<vehicle id>': ids.vehicle,
    });
    expect(ended).toMatchObject({ driver: null, changed: true });
    const history = await curlJson(`curl -H "Authorization: Bearer $TOKEN" 'http://localhost:3000/api/v1/vehicles/<vehicle id>/drivers?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z'`, { '<vehicle id>': ids.vehicle });
    expect(history.data).toEqual([expect.objectContaining({ driver_id: ids.driver, started_at: '2026-06-01T08:10:00.000Z', ended_at: '2026-06-01T08:20:00.000Z' })]);
  });

  it('device protocol: a frame as multipart, then again as a raw body (a duplicate)', { timeout: 60_000 }, async () => {
    at('2026-06-01T08:00:30Z');
    const stored = await curlJson(`curl -H "Authorization: Bearer $DEVICE_KEY" -F "imageFile=@frame.jpg;type=image/jpeg" -F "captured_at=2026-06-01T08:00:00.000Z" http://localhost:3000/api/v1/video/frames/upload`);
    expect(stored).toMatchObject({ frame_id: expect.any(String), captured_at: '2026-06-01T08:00:00.000Z' });
    const again = await curlJson(`curl -H "Authorization: Bearer $DEVICE_KEY" -H "Content-Type: image/jpeg" -H "X-Captured-At: 2026-06-01T08:00:00Z" --data-binary @frame.jpg http://localhost:3000/api/v1/video/frames/upload`);
    expect(again).toMatchObject({ frame_id: stored.frame_id, duplicate: true });
    ids.frame = stored.frame_id;
  });

  it('incidents: evidence, share links, review with a camera flag, false-positive rates', { timeout: 90_000 }, async () => {
    at('2026-06-01T08:05:00Z');
    const occurred = new Date('2026-06-01T08:00:00Z');
    await platform.db.kysely
      .insertInto('incidents')
      .values({ id: 'inc-docs', fleet_id: ids.fleet, vehicle_id: ids.vehicle, driver_id: null, trip_id: null, frame_id: ids.frame, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, source: 'vision', latitude: null, longitude: null, occurred_at: occurred, last_seen_at: occurred, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: occurred })
      .execute();
    env.INCIDENT = 'inc-docs';

    const evidence = await curlJson(`curl -s "localhost:3000/api/v1/incidents/$INCIDENT/evidence?before_seconds=20&after_seconds=20" -H "authorization: Bearer $ACCESS_TOKEN"`);
    expect(evidence.frames.map((f: { id: string }) => f.id)).toEqual([ids.frame]);

    const link = await curlJson(`curl -s -X POST localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN" -H 'content-type: application/json' -d '{"expires_in_minutes": 60}'`);
    expect(link).toMatchObject({ id: expect.any(String), url: expect.stringContaining('/share/incidents/') });
    env.SHARE_URL = link.url;
    env.LINK_ID = link.id;
    expect((await curlJson(`curl -s "$SHARE_URL"`)).incident).toMatchObject({ id: 'inc-docs' });
    expect((await curlJson(`curl -s localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN"`)).data).toEqual([expect.objectContaining({ id: link.id, state: 'live' })]);
    expect(await curlJson(`curl -s -X DELETE localhost:3000/api/v1/incidents/$INCIDENT/share/$LINK_ID -H "authorization: Bearer $ACCESS_TOKEN"`)).toMatchObject({ id: link.id, state: 'revoked' });
    await curl(`curl -s -X POST localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN" -H 'content-type: application/json' -d '{"expires_in_minutes": 60}'`);
    expect(await curlJson(`curl -s -X DELETE localhost:3000/api/v1/incidents/$INCIDENT/share -H "authorization: Bearer $ACCESS_TOKEN"`)).toEqual({ revoked: 1 });

    const reviewed = await curlJson(`curl -s -X PATCH localhost:3000/api/v1/incidents/$INCIDENT -H "authorization: Bearer $ACCESS_TOKEN" -H 'content-type: application/json' -d '{"status":"false_positive","reason_code":"camera_misaligned","reason":"points at the roof","flag_camera":true}'`);
    expect(reviewed).toMatchObject({ status: 'false_positive' });
    const stats = await curlJson(`curl -s "localhost:3000/api/v1/incidents/stats?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z" -H "authorization: Bearer $ACCESS_TOKEN"`);
    expect(stats.overall).toMatchObject({ total: 1, false_positive: 1 });
  });

  it('OsmAnd from a phone, and the fixes counted in the metrics', { timeout: 60_000 }, async () => {
    await realTime();
    expect(await curlJson(`curl "http://127.0.0.1:3000/api/v1/osmand?id=$KEY&lat=40.4168&lon=-3.7038&timestamp=$(date +%s)&speed=12&bearing=90"`)).toMatchObject({ stored: 1 });
    expect(await curl(`curl -s localhost:3000/metrics -H "authorization: Bearer $METRICS_TOKEN" | grep taxiwatch_fixes_total`)).toMatch(/taxiwatch_fixes_total\{outcome="stored"\} 1/);
  });

  it.each([
    [`npm run simulate -- --keys <key>,<another key>`, 'keys on the command line'],
    [`npm run simulate -- --keys-file keys.txt --taxis 6 --duration 600 --speedup 5 --frame-every 30 --offline-rate 0.05 --seed 7`, 'keys from a file'],
  ])('%s: the simulated taxis drive into the server (%s)', { timeout: 120_000 }, async (command) => {
    await realTime();
    await mkdir(join(process.cwd(), 'test-results'), { recursive: true });
    const typedIn = await mkdtemp(join(process.cwd(), 'test-results', 'simulate-'));
    cleanupDirs.push(typedIn);
    await writeFile(join(typedIn, 'keys.txt'), `${env.KEY}\n${ids.otherKey}\n`);
    const text = command.includes('<key>') ? fillPlaceholders(command, { '<key>': env.KEY, '<another key>': ids.otherKey }) : command;
    const before = await storedFixes();
    // It drives for minutes; like a person watching it, the test stops it once fixes arrive (PORT: the default --url).
    // Typed in a folder inside the repository (npm finds package.json above it), where keys.txt is.
    const simulator = startDocumented(text, { SIM_DATA_DIR: sharedDataDir() }, port, { cwd: typedIn });
    try {
      await expect.poll(storedFixes, { timeout: 90_000, interval: 500 }).toBeGreaterThan(before).catch((error) => {
        throw new Error(`no fixes arrived; the simulator said:\n${simulator.output()}`, { cause: error });
      });
    } finally {
      await simulator.stop();
    }
  });
});
