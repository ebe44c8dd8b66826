/** Sessions through the app: login, token expiry, refresh rotation with reuse detection, logout, throttling, audit. */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachAvailable } from '../../e2e/support/required-in-ci.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

// Sessions rely on row-level atomicity (a refresh token is consumed once): check it on real Postgres too.
// Postgres is declared even when it does not answer, so its cases are skipped visibly (and fail in CI).
const databases = [
  { database: 'pglite' as const, available: true },
  { database: 'postgres' as const, available: await postgresAvailable() },
];

describeEachAvailable(databases)('auth routes on $database', ({ database }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let fleetId: string;
  const password = 'correct horse battery staple';

  const call = (path: string, body?: unknown, options: { token?: string; ip?: string } = {}) =>
    app.request(
      path,
      {
        method: body === undefined ? 'GET' : 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      },
      { incoming: { socket: { remoteAddress: options.ip ?? '192.0.2.10' } } },
    );
  const loginAs = async (email: string, ip?: string) => (await call('/api/v1/auth/login', { email, password }, { ip })).json();

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Auth Fleet' })).id;
    await createUser(deps, { fleetId, email: 'owner@auth.test', password, role: 'owner' });
    await createUser(deps, { fleetId, email: 'victim@auth.test', password, role: 'viewer' });
    await createUser(deps, { fleetId, email: 'ip@auth.test', password, role: 'viewer' });
  });
  afterAll(() => platform.close());

  it('logs in with email and password and returns bearer tokens that identify the user', async () => {
    const res = await call('/api/v1/auth/login', { email: 'Owner@Auth.test', password });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', user: { email: 'owner@auth.test', role: 'owner', fleet_id: fleetId } });
    expect(body.access_token_expires_at).toBe(new Date(platform.clock.now() + 3600_000).toISOString());
    const me = await call('/api/v1/auth/me', undefined, { token: body.access_token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'owner@auth.test', fleet_id: fleetId });
  });

  it('answers the same generic 401 for a wrong password and an unknown email', async () => {
    const wrong = await call('/api/v1/auth/login', { email: 'owner@auth.test', password: 'nope' });
    const unknown = await call('/api/v1/auth/login', { email: 'nobody@auth.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.json()).error.message).toBe('invalid email or password');
    expect((await unknown.json()).error.message).toBe('invalid email or password');
    const failures = await platform.db.kysely.selectFrom('audit_log').select(['event', 'ip']).where('event', '=', 'login_failed').execute();
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0].ip).toBe('192.0.2.10');
  });

  it('rejects malformed bodies with 400, never 500', async () => {
    expect((await call('/api/v1/auth/login', { email: 'not-an-email', password })).status).toBe(400);
    const raw = await app.request('/api/v1/auth/login', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
  });

  it('rejects missing, forged and expired access tokens', async () => {
    expect((await call('/api/v1/auth/me')).status).toBe(401);
    const { access_token } = await loginAs('owner@auth.test');
    const [h, p] = access_token.split('.');
    expect((await call('/api/v1/auth/me', undefined, { token: `${h}.${p}.forgedsignature` })).status).toBe(401);
    platform.clock.advance(3600_000 + 1000);
    const expired = await call('/api/v1/auth/me', undefined, { token: access_token });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.details).toEqual({ reason: 'token_expired' });
  });

  it('refuses a correctly signed access token that carries no expiry', async () => {
    const now = Math.floor(platform.clock.now() / 1000);
    const user = await platform.db.kysely.selectFrom('users').select(['id']).where('email', '=', 'owner@auth.test').executeTakeFirstOrThrow();
    const forever = await new SignJWT({ role: 'owner', fid: fleetId }).setProtectedHeader({ alg: 'HS256' }).setIssuer('taxiwatch').setSubject(user.id).setIssuedAt(now).sign(new TextEncoder().encode(platform.jwtSecret));
    const res = await call('/api/v1/auth/me', undefined, { token: forever });
    expect(res.status).toBe(401);
    expect((await res.json()).error.details.reason).toBe('token_invalid');
  });

  it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
    const first = await loginAs('owner@auth.test');
    const second = await (await call('/api/v1/auth/refresh', { refresh_token: first.refresh_token })).json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await call('/api/v1/auth/me', undefined, { token: second.access_token })).status).toBe(200);

    // An attacker replays the stolen first token: refused, and the legitimate newer token dies with it.
    const replay = await call('/api/v1/auth/refresh', { refresh_token: first.refresh_token });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.details).toEqual({ reason: 'refresh_reused' });
    expect((await call('/api/v1/auth/refresh', { refresh_token: second.refresh_token })).status).toBe(401);
    const events = await platform.db.kysely.selectFrom('audit_log').select('event').where('event', '=', 'refresh_token_reused').execute();
    expect(events).toHaveLength(1);
  });

  it('lets two concurrent refreshes with one token succeed at most once', async () => {
    const session = await loginAs('owner@auth.test');
    const results = await Promise.all([1, 2].map(() => call('/api/v1/auth/refresh', { refresh_token: session.refresh_token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('expires refresh tokens after 30 days', async () => {
    const session = await loginAs('owner@auth.test');
    platform.clock.advance(30 * 86_400_000 + 1000);
    expect((await call('/api/v1/auth/refresh', { refresh_token: session.refresh_token })).status).toBe(401);
  });

  it('logs out by revoking the session family, and its access token stops working at once', async () => {
    const session = await loginAs('owner@auth.test');
    const me = () => app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${session.access_token}` } });
    const other = await loginAs('owner@auth.test');
    expect((await me()).status).toBe(200);
    expect((await call('/api/v1/auth/logout', { refresh_token: session.refresh_token })).status).toBe(204);
    expect((await call('/api/v1/auth/refresh', { refresh_token: session.refresh_token })).status).toBe(401);
    const refused = await me();
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.details.reason).toBe('session_revoked');
    // Another login of the same user is another session: it goes on.
    expect((await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${other.access_token}` } })).status).toBe(200);
  });

  it('slows brute force per account with 429 and Retry-After, for one window only', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call('/api/v1/auth/login', { email: 'victim@auth.test', password: 'guess' }, { ip: `198.51.100.${i}` })).status).toBe(401);
    }
    const blocked = await call('/api/v1/auth/login', { email: 'victim@auth.test', password }, { ip: '198.51.100.99' });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    platform.clock.advance(retryAfter * 1000);
    expect((await call('/api/v1/auth/login', { email: 'victim@auth.test', password }, { ip: '198.51.100.99' })).status).toBe(200);
  });

  it('slows brute force per IP across accounts', async () => {
    for (let i = 0; i < 20; i++) await call('/api/v1/auth/login', { email: `spray${i}@auth.test`, password: 'guess' }, { ip: '203.0.113.7' });
    expect((await call('/api/v1/auth/login', { email: 'ip@auth.test', password }, { ip: '203.0.113.7' })).status).toBe(429);
    expect((await call('/api/v1/auth/login', { email: 'ip@auth.test', password }, { ip: '203.0.113.8' })).status).toBe(200);
  });
});
