/** Getting a login back (the admin CLI's reset-password and reset-mfa), checked through the real login API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createApp } from '../../app.ts';
import { createFleet, createUser } from '../provisioning.ts';
import { resetMfa, resetPassword } from './account-recovery.ts';
import { totpCode } from './totp.ts';

const password = 'recovery-password-1';

describe('account recovery', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const post = (path: string, body: unknown, token?: string) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const deps = () => ({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const fleet = await createFleet(deps(), { name: 'Recovery' });
    await createUser(deps(), { fleetId: fleet.id, email: 'owner@recovery.test', password, role: 'owner' });
    await createUser(deps(), { fleetId: null, email: 'admin@recovery.test', password, role: 'admin' });
  });
  afterAll(() => platform.close());

  it('reset-password sets a generated password, ends the sessions and is audited', async () => {
    const session = await (await post('/api/v1/auth/login', { email: 'owner@recovery.test', password })).json();
    const reset = await resetPassword(deps(), { email: 'Owner@Recovery.test' });
    expect(reset).toMatchObject({ email: 'owner@recovery.test', role: 'owner', generated: true, sessions_ended: 1 });
    expect(reset.password).toMatch(/^[A-Za-z0-9]{18}$/);

    expect((await post('/api/v1/auth/login', { email: 'owner@recovery.test', password })).status).toBe(401);
    expect((await post('/api/v1/auth/login', { email: 'owner@recovery.test', password: reset.password })).status).toBe(200);
    expect((await post('/api/v1/auth/refresh', { refresh_token: session.refresh_token })).status).toBe(401);
    const audited = await platform.db.kysely.selectFrom('audit_log').select('event').where('user_id', '=', reset.user_id).where('event', '=', 'password_reset').execute();
    expect(audited).toHaveLength(1);
  });

  it('reset-password takes a chosen password, refusing a short one and an unknown email', async () => {
    const chosen = await resetPassword(deps(), { email: 'owner@recovery.test', password: 'chosen-password-2' });
    expect(chosen).toMatchObject({ generated: false, password: 'chosen-password-2' });
    expect((await post('/api/v1/auth/login', { email: 'owner@recovery.test', password: 'chosen-password-2' })).status).toBe(200);
    await expect(resetPassword(deps(), { email: 'owner@recovery.test', password: 'short' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(resetPassword(deps(), { email: 'nobody@recovery.test' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reset-mfa makes an admin who lost the authenticator enrol a new one at the next login', async () => {
    const step = await (await post('/api/v1/auth/login', { email: 'admin@recovery.test', password })).json();
    const { secret } = await (await post('/api/v1/auth/mfa/enroll', { mfa_token: step.mfa_token })).json();
    await post('/api/v1/auth/mfa/verify', { mfa_token: step.mfa_token, code: totpCode(secret, platform.clock.now()) });
    expect((await (await post('/api/v1/auth/login', { email: 'admin@recovery.test', password })).json()).mfa_required).toBe(true);

    const reset = await resetMfa(deps(), { email: 'admin@recovery.test' });
    expect(reset).toMatchObject({ role: 'admin', was_enabled: true, enrol_at_next_login: true, sessions_ended: 1 });
    const row = await platform.db.kysely.selectFrom('users').select(['mfa_enabled', 'totp_secret', 'recovery_codes']).where('id', '=', reset.user_id).executeTakeFirstOrThrow();
    expect(row).toEqual({ mfa_enabled: false, totp_secret: null, recovery_codes: [] });
    const next = await (await post('/api/v1/auth/login', { email: 'admin@recovery.test', password })).json();
    expect(next).toEqual({ mfa_setup_required: true, mfa_token: expect.any(String) });
    await expect(resetMfa(deps(), { email: 'nobody@recovery.test' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
