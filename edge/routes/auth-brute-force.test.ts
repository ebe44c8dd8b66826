/**
 * Brute force under concurrency: guesses sent all at once must not all be evaluated (the limits are taken before
 * the password or code is checked), and a recovery code works once even when six logins present it together.
 * Real parallel requests, on Postgres with the cache on Redis, and on the embedded adapters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachAvailable } from '../../e2e/support/required-in-ci.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createTestRedis, redisAvailable } from '../../e2e/support/test-redis.ts';
import { createRedisCache } from '../adapters/cache/redis-cache.ts';
import { createApp } from '../app.ts';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../domain/auth/login-throttle.ts';
import { activateMfa, enrollMfa } from '../domain/auth/mfa.ts';
import { totpCode } from '../domain/auth/totp.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const setups = [
  { database: 'pglite' as const, cache: 'memory' as const, available: true },
  { database: 'postgres' as const, cache: 'redis' as const, available: (await postgresAvailable()) && (await redisAvailable()) },
];

describeEachAvailable(setups)('brute force on $database with the $cache cache', ({ database, cache }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let closeRedis = async () => {};
  let fleetId: string;
  const password = 'correct horse battery staple';

  const post = (path: string, body: unknown, ip = '192.0.2.10') =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, { incoming: { socket: { remoteAddress: ip } } });
  const statuses = async (responses: Array<Response | Promise<Response>>) => (await Promise.all(responses)).map((r) => r.status);
  const count = (list: number[], status: number) => list.filter((s) => s === status).length;

  async function userWithMfa(email: string) {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids, cache: platform.cache, bus: platform.bus, jwtSecret: platform.jwtSecret };
    const user = await createUser(deps, { fleetId, email, password, role: 'owner' });
    const { secret } = await enrollMfa(deps, user.id);
    const recoveryCodes = await activateMfa(deps, user.id, totpCode(secret, platform.clock.now()));
    return { secret, recoveryCodes };
  }

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
    if (cache === 'redis') {
      const redis = await createTestRedis();
      platform.cache = createRedisCache(redis.connection, { keyPrefix: redis.keyPrefix });
      closeRedis = redis.close;
    }
    app = createApp(platform);
    fleetId = (await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Brute Force' })).id;
  });
  afterAll(async () => {
    await closeRedis();
    await platform.close();
  });

  it('evaluates at most the account limit of 40 concurrent wrong passwords from one address', async () => {
    await createUser({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { fleetId, email: 'burst@bf.test', password, role: 'viewer' });
    const results = await statuses(Array.from({ length: 40 }, () => post('/api/v1/auth/login', { email: 'burst@bf.test', password: 'wrong guess' }, '198.51.100.1')));
    expect(count(results, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    expect(count(results, 429)).toBeGreaterThanOrEqual(40 - MAX_FAILURES_PER_ACCOUNT);
    expect((await post('/api/v1/auth/login', { email: 'burst@bf.test', password }, '198.51.100.2')).status).toBe(429);
  });

  it('gives the right password no session once a burst of wrong ones used the limit up', async () => {
    await createUser({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { fleetId, email: 'mixed@bf.test', password, role: 'viewer' });
    const guesses = Array.from({ length: 60 }, () => post('/api/v1/auth/login', { email: 'mixed@bf.test', password: 'wrong guess' }, '198.51.100.3'));
    const right = post('/api/v1/auth/login', { email: 'mixed@bf.test', password }, '198.51.100.3');
    const results = await statuses([...guesses, right]);
    // Evaluated = answered 401 or 200: never more than the limit plus the one success that gives its slot back.
    expect(count(results, 401) + count(results, 200)).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT + 1);
    expect(count(results, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
  });

  it('holds the account limit across many addresses', async () => {
    await createUser({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { fleetId, email: 'spread@bf.test', password, role: 'viewer' });
    const results = await statuses(Array.from({ length: 45 }, (_, i) => post('/api/v1/auth/login', { email: 'spread@bf.test', password: 'wrong' }, `203.0.113.${i % 15}`)));
    expect(count(results, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
  });

  it('holds the per-address limit across accounts', async () => {
    const results = await statuses(Array.from({ length: 60 }, (_, i) => post('/api/v1/auth/login', { email: `spray${i}@bf.test`, password: 'wrong' }, '198.51.100.77')));
    expect(count(results, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_IP);
    expect(count(results, 429)).toBeGreaterThanOrEqual(60 - MAX_FAILURES_PER_IP);
  });

  it('evaluates at most the limit of concurrent wrong TOTP codes on one mfa_token, then refuses the right one', async () => {
    const { secret } = await userWithMfa('totp@bf.test');
    const step = await (await post('/api/v1/auth/login', { email: 'totp@bf.test', password }, '198.51.100.20')).json();
    expect(step.mfa_required).toBe(true);
    const right = totpCode(secret, platform.clock.now() + 30_000);
    const wrong = right === '000000' ? '000001' : '000000';
    const results = await statuses(Array.from({ length: 60 }, () => post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, code: wrong }, '198.51.100.20')));
    expect(count(results, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_ACCOUNT);
    platform.clock.advance(30_000);
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, code: right }, '198.51.100.20')).status).toBe(429);
  });

  it('lets one recovery code start exactly one session when six logins present it at once', async () => {
    const { recoveryCodes } = await userWithMfa('codes@bf.test');
    const step = await (await post('/api/v1/auth/login', { email: 'codes@bf.test', password }, '198.51.100.30')).json();
    const results = await statuses(Array.from({ length: 6 }, () => post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: recoveryCodes[0] }, '198.51.100.30')));
    expect(count(results, 200)).toBe(1);
    const row = await platform.db.kysely.selectFrom('users').select('recovery_codes').where('email', '=', 'codes@bf.test').executeTakeFirstOrThrow();
    expect(row.recovery_codes as string[]).toHaveLength(recoveryCodes.length - 1);
  });

  it('lets one TOTP code start exactly one session when presented six times at once', async () => {
    const { secret } = await userWithMfa('replay@bf.test');
    const step = await (await post('/api/v1/auth/login', { email: 'replay@bf.test', password }, '198.51.100.40')).json();
    platform.clock.advance(30_000);
    const code = totpCode(secret, platform.clock.now());
    const results = await statuses(Array.from({ length: 5 }, () => post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, code }, '198.51.100.40')));
    expect(count(results, 200)).toBe(1);
  });
});
