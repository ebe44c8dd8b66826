/** Recovery codes through the API: how many are left, and a new set that replaces the old one (a TOTP code required). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { totpCode } from '../domain/auth/totp.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const password = 'codes-password-1234';

describe('recovery codes', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let secret: string;
  let token: string;
  let first: string[];
  const post = (path: string, body: unknown, bearer?: string) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
  const status = async (bearer: string) => (await app.request('/api/v1/auth/mfa', { headers: { authorization: `Bearer ${bearer}` } })).json();
  // Each TOTP code works once: move the clock on a step for every fresh one.
  const nextCode = () => {
    platform.clock.advance(30_000);
    return totpCode(secret, platform.clock.now());
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    await createUser(deps, { fleetId: null, email: 'admin@codes.test', password, role: 'admin' });
    const owner = { fleetId: (await createFleet(deps, { name: 'Codes' })).id, email: 'owner@codes.test', password, role: 'owner' as const };
    await createUser(deps, owner);
    const step = await (await post('/api/v1/auth/login', { email: 'admin@codes.test', password })).json();
    ({ secret } = await (await post('/api/v1/auth/mfa/enroll', { mfa_token: step.mfa_token })).json());
    const verified = await (await post('/api/v1/auth/mfa/verify', { mfa_token: step.mfa_token, code: nextCode() })).json();
    token = verified.access_token;
    first = verified.recovery_codes;
  });
  afterAll(() => platform.close());

  it('counts the unused codes', async () => {
    expect(first).toHaveLength(10);
    expect(await status(token)).toEqual({ enabled: true, recovery_codes_left: 10 });
    const step = await (await post('/api/v1/auth/login', { email: 'admin@codes.test', password })).json();
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: first[0] })).status).toBe(200);
    expect(await status(token)).toEqual({ enabled: true, recovery_codes_left: 9 });
  });

  it('replaces the set with ten new codes, once given a current authenticator code', async () => {
    expect((await post('/api/v1/auth/mfa/recovery-codes', { code: '000000' }, token)).status).toBe(401);
    expect((await post('/api/v1/auth/mfa/recovery-codes', { code: 'abc' }, token)).status).toBe(400);
    expect((await post('/api/v1/auth/mfa/recovery-codes', { code: nextCode() })).status).toBe(401);
    const res = await post('/api/v1/auth/mfa/recovery-codes', { code: nextCode() }, token);
    expect(res.status).toBe(200);
    const { recovery_codes } = await res.json();
    expect(recovery_codes).toHaveLength(10);
    expect(new Set([...recovery_codes, ...first]).size).toBe(20);
    expect(await status(token)).toEqual({ enabled: true, recovery_codes_left: 10 });

    const step = await (await post('/api/v1/auth/login', { email: 'admin@codes.test', password })).json();
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: first[1] })).status).toBe(401);
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: recovery_codes[0] })).status).toBe(200);
    const audited = await platform.db.kysely.selectFrom('audit_log').select('event').where('event', '=', 'mfa_recovery_codes_regenerated').execute();
    expect(audited).toHaveLength(1);
  });

  it('answers 409 to a user without a second factor', async () => {
    const session = await (await post('/api/v1/auth/login', { email: 'owner@codes.test', password })).json();
    expect(await status(session.access_token)).toEqual({ enabled: false, recovery_codes_left: 0 });
    const res = await post('/api/v1/auth/mfa/recovery-codes', { code: '123456' }, session.access_token);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
  });
});
