/**
 * Property-based fuzzing of every operation in the OpenAPI document plus the device routes (issue 14): valid and
 * hostile requests as an owner, as a device, anonymously and with a garbage credential. Every answer must be below
 * 500, arrive within the per-request timeout, and — for `/api` errors — be in the common error shape. The seed is
 * fixed, so a CI run is repeatable; FUZZ_SEED and FUZZ_RUNS_PER_OPERATION change it for a longer local hunt.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../edge/app.ts';
import { createApiKey, SCOPES, CHAT_SCOPE } from '../../edge/domain/auth/api-keys.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { postgresAvailable } from '../support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { loginForTest } from '../support/test-sessions.ts';
import { operationsOf, send, type Credentials } from './fuzz-harness.ts';
import { requestFor, type Operation } from './request-arbitraries.ts';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261405);
const RUNS = Number(process.env.FUZZ_RUNS_PER_OPERATION ?? 0);

const backends = [
  { database: 'pglite' as const, runsPerOperation: RUNS || 28, up: true },
  // Postgres is where NUL and out-of-range values are refused for real; fewer cases keep the suite quick.
  { database: 'postgres' as const, runsPerOperation: RUNS || 8, up: await postgresAvailable() },
];

describe.each(backends)('API fuzzing on $database', ({ database, runsPerOperation, up }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let operations: Operation[];
  let credentials: Credentials;
  let ids: string[];
  let fleetId: string;
  let replacements = 0;

  /** What the server logged for the last failed request (the answer itself says only "internal"). */
  const lastErrorLogged = () => JSON.stringify(platform.logLines.findLast((line) => line.level === 'error' && line.msg !== 'request') ?? null).slice(0, 600);
  const deps = () => ({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids });

  /** Logs in as a browser does: the session cookies, and the CSRF cookie's value for the header. */
  async function browserSession(email: string) {
    const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'fuzz-pass-12345' }) });
    const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = pairs.find((p) => p.startsWith('tw_csrf='))?.slice('tw_csrf='.length) ?? '';
    if (res.status !== 200 || !csrf) throw new Error(`browser login failed: ${res.status} ${pairs.join(' ')}`);
    return { header: pairs.join('; '), csrf };
  }

  /** A fuzzed request may log the owner out, delete them, or revoke the device's key: replace what was lost. */
  async function ensureCredentials() {
    const me = await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${credentials.ownerToken}` } });
    const browser = await app.request('/api/v1/auth/me', { headers: { cookie: credentials.cookie.header } });
    if (me.status !== 200 || browser.status !== 200) {
      // A new owner: fuzzed logins may have locked the old one's account (the clock stands still, so for good).
      const email = `owner${++replacements}@fuzz.test`;
      await createUser(deps(), { fleetId, email, password: 'fuzz-pass-12345', role: 'owner' });
      credentials.ownerToken = await loginForTest(app, platform.clock, email, 'fuzz-pass-12345');
      credentials.cookie = await browserSession(email);
    }
    const keyed = await app.request('/api/v1/vehicles?limit=1', { headers: { 'x-api-key': credentials.apiKey } });
    if (keyed.status !== 200) credentials.apiKey = (await createApiKey(deps(), { fleetId, scopes: [...SCOPES, CHAT_SCOPE] })).key;
    const beat = await app.request('/api/v1/devices/heartbeat', { method: 'POST', headers: { authorization: `Bearer ${credentials.deviceKey}`, 'content-type': 'application/json' }, body: '{}' });
    if (beat.status !== 200) {
      const vehicle = await createVehicle(deps(), { fleetId, plate: `FZ${++replacements}` });
      credentials.deviceKey = (await createDevice(deps(), { vehicleId: vehicle.id })).key;
    }
  }

  beforeAll(async () => {
    if (!up) return;
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' }, { database });
    app = createApp(platform);
    fleetId = (await createFleet(deps(), { name: 'Fuzz' })).id;
    const user = await createUser(deps(), { fleetId, email: 'owner@fuzz.test', password: 'fuzz-pass-12345', role: 'owner' });
    const vehicle = await createVehicle(deps(), { fleetId, plate: 'FUZZ1' });
    const driver = await createDriver(deps(), { fleetId, name: 'Fuzz Driver', licenceExpiresOn: '2030-01-01' });
    const device = await createDevice(deps(), { vehicleId: vehicle.id });
    credentials = {
      ownerToken: await loginForTest(app, platform.clock, 'owner@fuzz.test', 'fuzz-pass-12345'),
      deviceKey: device.key,
      apiKey: (await createApiKey(deps(), { fleetId, scopes: [...SCOPES, CHAT_SCOPE] })).key,
      cookie: await browserSession('owner@fuzz.test'),
    };
    ids = [fleetId, user.id, vehicle.id, driver.id, device.id];
    operations = operationsOf(await (await app.request('/api/v1/openapi.json')).json());
  }, 60_000);
  afterAll(async () => {
    if (up) await platform.close();
  });

  it.skipIf(!up)('answers every fuzzed request below 500, in time, with errors in the common shape', { timeout: 240_000 }, async () => {
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    const authenticated: Record<string, { sent: number; refused: number }> = {};
    let cases = 0;
    for (const [index, op] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(requestFor(op, ids), async (request) => {
          const outcome = await send(app, op, request, credentials, lastErrorLogged);
          cases++;
          statuses.set(String(outcome.status), (statuses.get(String(outcome.status)) ?? 0) + 1);
          if (op.auth !== 'none' && ['own', 'api-key', 'cookie'].includes(request.credential)) {
            const tally = (authenticated[`${op.auth} ${request.credential}`] ??= { sent: 0, refused: 0 });
            tally.sent++;
            if (outcome.status === 401) tally.refused++;
          }
          if (outcome.problem) failures.push(`${op.method} ${op.path} → ${outcome.status}: ${outcome.problem}\n    ${request.method} ${request.url.slice(0, 200)} (${request.note})`);
        }),
        { seed: FUZZ_SEED + index, numRuns: runsPerOperation, endOnFailure: true },
      );
      await ensureCredentials();
    }
    const summary = [...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ');
    const refusals = Object.entries(authenticated).map(([who, t]) => `${who} ${t.refused}/${t.sent}`).join(', ');
    console.info(`fuzz on ${database}: seed ${FUZZ_SEED}, ${operations.length} operations, ${cases} cases; statuses ${summary}; 401 for good credentials: ${refusals}; ${failures.length} failures`);
    expect(operations.length).toBeGreaterThan(50);
    // Enough requests must get through validation and authentication for the run to say anything about the database.
    const succeeded = [...statuses].filter(([s]) => s.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
    expect(succeeded).toBeGreaterThan(cases / 40);
    // …and good credentials must stay good (a fuzzed logout or revocation is repaired between operations).
    for (const who of ['user own', 'user api-key', 'user cookie']) expect(authenticated[who]?.refused ?? 1, who).toBeLessThan((authenticated[who]?.sent ?? 0) / 10);
    expect(failures.slice(0, 40).join('\n')).toBe('');
  });
});
