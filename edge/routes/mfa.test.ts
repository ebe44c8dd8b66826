/** Two-factor authentication through the API: opt-in for owners, mandatory for admins, codes single-use. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { totpCode } from '../domain/auth/totp.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const password = 'mfa-password-1234';

describe('two-factor authentication', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const post = (path: string, body: unknown, token?: string) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'MFA' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@mfa.test', password, role: 'owner' });
    await createUser(deps, { fleetId: null, email: 'admin@mfa.test', password, role: 'admin' });
  });
  afterAll(() => platform.close());

  it('lets an owner opt in, then asks for a code at login, each code and recovery code once', async () => {
    const session = await (await post('/api/v1/auth/login', { email: 'owner@mfa.test', password })).json();
    const enrolment = await (await post('/api/v1/auth/mfa/enroll', {}, session.access_token)).json();
    expect(enrolment.otpauth_uri).toMatch(/^otpauth:\/\/totp\/TaxiWatch:owner%40mfa\.test\?/);
    expect((await post('/api/v1/auth/mfa/verify', { code: '000000' }, session.access_token)).status).toBe(401);
    const verified = await post('/api/v1/auth/mfa/verify', { code: totpCode(enrolment.secret, platform.clock.now()) }, session.access_token);
    const { recovery_codes } = await verified.json();
    expect(recovery_codes).toHaveLength(10);
    expect((await post('/api/v1/auth/mfa/enroll', {}, session.access_token)).status).toBe(409);

    platform.clock.advance(30_000);
    const step = await (await post('/api/v1/auth/login', { email: 'owner@mfa.test', password })).json();
    expect(step).toEqual({ mfa_required: true, mfa_token: expect.any(String) });
    expect((await app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${step.mfa_token}` } })).status).toBe(401);
    const code = totpCode(enrolment.secret, platform.clock.now());
    const done = await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, code });
    expect(done.status).toBe(200);
    expect((await done.json()).access_token).toEqual(expect.any(String));
    // The same code again is a replay.
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, code })).status).toBe(401);

    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: recovery_codes[0] })).status).toBe(200);
    expect((await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: recovery_codes[0] })).status).toBe(401);

    platform.clock.advance(301_000);
    const late = await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: recovery_codes[1] });
    expect(late.status).toBe(401);
    expect((await late.json()).error.message).toContain('expired');

    const events = await platform.db.kysely.selectFrom('audit_log').select('event').where('event', 'like', 'mfa_%').execute();
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['mfa_enabled', 'mfa_failed', 'mfa_recovery_code_used']));
  });

  it('lets an owner turn it off with a valid code', async () => {
    const step = await (await post('/api/v1/auth/login', { email: 'owner@mfa.test', password })).json();
    const { access_token } = await (await post('/api/v1/auth/mfa/login', { mfa_token: step.mfa_token, recovery_code: (await freshRecoveryCode()) })).json();
    expect((await post('/api/v1/auth/mfa/disable', { code: '123456' }, access_token)).status).toBe(401);
    const row = await platform.db.kysely.selectFrom('users').select('totp_secret').where('email', '=', 'owner@mfa.test').executeTakeFirstOrThrow();
    platform.clock.advance(30_000);
    expect((await post('/api/v1/auth/mfa/disable', { code: totpCode(row.totp_secret!, platform.clock.now()) }, access_token)).status).toBe(204);
    expect((await (await post('/api/v1/auth/login', { email: 'owner@mfa.test', password })).json()).access_token).toEqual(expect.any(String));
  });

  it('never gives a platform admin a session without a second factor', async () => {
    const step = await (await post('/api/v1/auth/login', { email: 'admin@mfa.test', password })).json();
    expect(step).toEqual({ mfa_setup_required: true, mfa_token: expect.any(String) });
    expect(step.access_token).toBeUndefined();
    const { secret } = await (await post('/api/v1/auth/mfa/enroll', { mfa_token: step.mfa_token })).json();
    const verified = await (await post('/api/v1/auth/mfa/verify', { mfa_token: step.mfa_token, code: totpCode(secret, platform.clock.now()) })).json();
    expect(verified).toMatchObject({ recovery_codes: expect.any(Array), access_token: expect.any(String), user: { role: 'admin' } });
    expect((await post('/api/v1/auth/mfa/disable', { code: totpCode(secret, platform.clock.now() + 30_000) }, verified.access_token)).status).toBe(403);
    expect((await (await post('/api/v1/auth/login', { email: 'admin@mfa.test', password })).json()).mfa_required).toBe(true);
  });

  // Recovery codes are shown once; for the disable test, mint a known one the way activation stores them.
  async function freshRecoveryCode(): Promise<string> {
    const { sha256Hex } = await import('../domain/sha256.ts');
    const code = 'abcdef0123';
    await platform.db.kysely.updateTable('users').set({ recovery_codes: JSON.stringify([await sha256Hex(code)]) }).where('email', '=', 'owner@mfa.test').execute();
    return code;
  }
});
