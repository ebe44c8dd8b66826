/**
 * /api/v1/auth/mfa/…: TOTP enrolment and verification, the second login step, turning it off, and the user's
 * recovery codes (how many are left; a new set). Enrolment accepts either an access token or, for an admin whose
 * login demands setup, the `mfa_token` from that login.
 */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { activateMfa, disableMfa, enrollMfa, verifyMfaToken } from '../domain/auth/mfa.ts';
import { regenerateRecoveryCodes, secondFactorStatus } from '../domain/auth/recovery-code-renewal.ts';
import { completeMfaLogin, startSession, type SessionDeps } from '../domain/auth/sessions.ts';
import { AppError } from '../errors.ts';
import { authenticateAccessToken } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import { accessTokenCookie, requireCsrf, setSessionCookies } from '../middleware/session-cookies.ts';
import type { Platform } from '../platform.ts';
import { readJson } from './route-helpers.ts';

const code = z.string().trim().regex(/^\d{6}$/, 'expected the 6-digit code from the authenticator app');
const enrollBody = z.object({ mfa_token: z.string().optional() });
const verifyBody = z.object({ code, mfa_token: z.string().optional() });
const loginBody = z.object({ mfa_token: z.string(), code: code.optional(), recovery_code: z.string().max(40).optional() }).refine((b) => b.code || b.recovery_code, {
  message: 'send code or recovery_code',
});
const disableBody = z.object({ code });
const recoveryCodesBody = z.object({ code });

export function registerMfa(app: Hono<AppEnv>, platform: Platform) {
  const deps: SessionDeps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids, cache: platform.cache, bus: platform.bus, jwtSecret: platform.jwtSecret };

  /** The user behind the request: an access token, else the login's mfa_token. */
  async function who(c: Context<AppEnv>, mfaToken: string | undefined): Promise<{ userId: string; viaLogin: boolean }> {
    if (mfaToken) return { userId: await verifyMfaToken(deps, mfaToken), viaLogin: true };
    let bearer = (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!bearer) {
      bearer = accessTokenCookie(c);
      if (bearer) requireCsrf(c);
    }
    if (!bearer) throw new AppError('unauthorized', 'send an access token, or the mfa_token from the login');
    const principal = await authenticateAccessToken(platform, bearer);
    if (!principal.userId) throw new AppError('forbidden', 'API keys have no second factor');
    return { userId: principal.userId, viaLogin: false };
  }

  app.post('/api/v1/auth/mfa/enroll', async (c) => {
    const body = await readJson(c, enrollBody);
    const { userId } = await who(c, body.mfa_token);
    return c.json(await enrollMfa(deps, userId));
  });

  app.post('/api/v1/auth/mfa/verify', async (c) => {
    const body = await readJson(c, verifyBody);
    const { userId, viaLogin } = await who(c, body.mfa_token);
    const recovery_codes = await activateMfa(deps, userId, body.code);
    // An admin finishing setup during login gets the session the login was waiting for.
    if (!viaLogin) return c.json({ recovery_codes });
    const session = await startSession(deps, userId);
    setSessionCookies(c, session);
    return c.json({ recovery_codes, ...session });
  });

  app.post('/api/v1/auth/mfa/login', async (c) => {
    const session = await completeMfaLogin(deps, await readJson(c, loginBody), clientIp(c));
    setSessionCookies(c, session);
    return c.json(session);
  });

  app.post('/api/v1/auth/mfa/disable', async (c) => {
    const body = await readJson(c, disableBody);
    const { userId } = await who(c, undefined);
    await disableMfa(deps, userId, body.code);
    return c.body(null, 204);
  });

  app.get('/api/v1/auth/mfa', async (c) => {
    const { userId } = await who(c, undefined);
    return c.json(await secondFactorStatus(deps, userId));
  });

  app.post('/api/v1/auth/mfa/recovery-codes', async (c) => {
    const body = await readJson(c, recoveryCodesBody);
    const { userId } = await who(c, undefined);
    return c.json({ recovery_codes: await regenerateRecoveryCodes(deps, userId, body.code) });
  });
}

export const mfaDocs: RouteDoc[] = [
  { method: 'post', path: '/api/v1/auth/mfa/enroll', summary: 'Start TOTP enrolment (secret + otpauth URI)', tag: 'Auth', auth: 'bearer', body: enrollBody, responses: { 200: 'Secret and otpauth URI', 409: 'Already on' } },
  { method: 'post', path: '/api/v1/auth/mfa/verify', summary: 'Confirm enrolment; returns recovery codes once', tag: 'Auth', auth: 'bearer', body: verifyBody, responses: { 200: 'Recovery codes (and a session when finishing a login)', 401: 'Wrong code' } },
  { method: 'post', path: '/api/v1/auth/mfa/login', summary: 'Second login step', tag: 'Auth', auth: 'none', body: loginBody, responses: { 200: 'Session tokens', 401: 'Wrong or reused code', 429: 'Too many failures' } },
  { method: 'get', path: '/api/v1/auth/mfa', summary: 'Whether two-factor authentication is on, and unused recovery codes left', tag: 'Auth', auth: 'bearer', responses: { 200: '{enabled, recovery_codes_left}' } },
  { method: 'post', path: '/api/v1/auth/mfa/recovery-codes', summary: 'Replace the recovery codes with a new set, returned once (needs a current TOTP code)', tag: 'Auth', auth: 'bearer', body: recoveryCodesBody, responses: { 200: '{recovery_codes}: ten new codes; the old ones stop working', 401: 'Wrong code', 409: 'Two-factor authentication is off' } },
  { method: 'post', path: '/api/v1/auth/mfa/disable', summary: 'Turn two-factor authentication off (not for admins)', tag: 'Auth', auth: 'bearer', body: disableBody, responses: { 204: 'Off', 403: 'Admins must keep it' } },
];
