/** Log in, refresh and log out: access JWTs for one hour, rotating refresh tokens with reuse detection. */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Bus } from '../../ports/bus.ts';
import type { Cache } from '../../ports/cache.ts';
import type { DomainDeps } from '../deps.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { parseInput } from '../validation.ts';
import { issueAccessToken, type Principal } from './access-tokens.ts';
import { audit } from './audit.ts';
import { createLoginThrottle } from './login-throttle.ts';
import { checkSecondFactor, issueMfaToken, verifyMfaToken } from './mfa.ts';
import { consumeRefreshToken, familyOf, revokeFamily, storeRefreshToken } from './refresh-tokens.ts';
import { revokeSession } from './revoked-credentials.ts';

export interface SessionDeps extends DomainDeps {
  cache: Cache;
  /** Announces a revoked session, so its open live streams end at once. */
  bus: Bus;
  jwtSecret: string;
}

export interface SessionTokens {
  access_token: string;
  access_token_expires_at: string;
  refresh_token: string;
  refresh_token_expires_at: string;
  token_type: 'Bearer';
  user: { id: string; email: string; name: string; role: Principal['role']; fleet_id: string | null };
}

export const credentials = z.object({ email: z.email().transform((e) => e.toLowerCase()), password: z.string().min(1).max(200) });

// Verifying against a fixed hash when the email is unknown keeps response times alike, so timing tells nothing.
let decoyHash: Promise<string> | undefined;

async function issue(deps: SessionDeps, user: SessionTokens['user'], familyId: string): Promise<SessionTokens> {
  const access = await issueAccessToken({ userId: user.id, role: user.role, fleetId: user.fleet_id, sessionId: familyId }, deps.jwtSecret, deps.clock);
  const refresh = await storeRefreshToken(deps, user.id, familyId);
  return {
    access_token: access.token,
    access_token_expires_at: access.expiresAt,
    refresh_token: refresh.token,
    refresh_token_expires_at: refresh.expiresAt,
    token_type: 'Bearer',
    user,
  };
}

async function loadUser(deps: SessionDeps, id: string) {
  return deps.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'fleet_id', 'password_hash']).where('id', '=', id).executeTakeFirst();
}

/** The password step passed, a second factor is still due: `mfa_required`, or for an admin without one, `mfa_setup_required`. */
export interface MfaStep {
  mfa_required?: true;
  mfa_setup_required?: true;
  mfa_token: string;
}

export async function login(deps: SessionDeps, input: unknown, ip: string): Promise<SessionTokens | MfaStep> {
  const { email, password } = parseInput(credentials, input);
  const attempt = await createLoginThrottle(deps.cache, deps.clock).begin(email, ip);
  const user = await deps.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'fleet_id', 'password_hash']).where('email', '=', email).executeTakeFirst();
  decoyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash));
  if (!user || !ok) {
    await audit(deps, { event: 'login_failed', userId: user?.id, fleetId: user?.fleet_id, ip, details: { email } });
    throw new AppError('unauthorized', 'invalid email or password');
  }
  await attempt.succeeded();
  const factor = await deps.db.selectFrom('users').select('mfa_enabled').where('id', '=', user.id).executeTakeFirstOrThrow();
  if (factor.mfa_enabled) return { mfa_required: true, mfa_token: await issueMfaToken(deps, user.id) };
  if (user.role === 'admin') return { mfa_setup_required: true, mfa_token: await issueMfaToken(deps, user.id) };
  await audit(deps, { event: 'login', userId: user.id, fleetId: user.fleet_id, ip });
  const { password_hash: _, ...publicUser } = user;
  return issue(deps, publicUser, deps.ids.next());
}

/** Second step of a login with two-factor authentication on. Failures count against the account like bad passwords. */
export async function completeMfaLogin(deps: SessionDeps, input: { mfa_token: string; code?: string; recovery_code?: string }, ip: string): Promise<SessionTokens> {
  const userId = await verifyMfaToken(deps, input.mfa_token);
  const user = await loadUser(deps, userId);
  if (!user) throw new AppError('unauthorized', 'the account no longer exists');
  const attempt = await createLoginThrottle(deps.cache, deps.clock).begin(user.email, ip);
  if (!(await checkSecondFactor(deps, userId, input))) {
    await audit(deps, { event: 'mfa_failed', userId, fleetId: user.fleet_id, ip });
    throw new AppError('unauthorized', 'the code does not match');
  }
  await attempt.succeeded();
  await audit(deps, { event: 'login', userId, fleetId: user.fleet_id, ip, details: { mfa: true } });
  return startSession(deps, userId);
}

/** A fresh session (new refresh-token family) for a user who has proven who they are. */
export async function startSession(deps: SessionDeps, userId: string): Promise<SessionTokens> {
  const user = await loadUser(deps, userId);
  if (!user) throw new AppError('unauthorized', 'the account no longer exists');
  const { password_hash: _, ...publicUser } = user;
  return issue(deps, publicUser, deps.ids.next());
}

export async function refresh(deps: SessionDeps, refreshToken: string, ip: string): Promise<SessionTokens> {
  const result = await consumeRefreshToken(deps, refreshToken);
  if ('reused' in result) {
    await revokeFamily(deps, result.familyId);
    await revokeSession(deps, result.familyId);
    await audit(deps, { event: 'refresh_token_reused', userId: result.userId, ip, details: { familyId: result.familyId } });
    throw new AppError('unauthorized', 'refresh token was already used; every session from that login is revoked', {
      details: { reason: 'refresh_reused' },
    });
  }
  const user = await loadUser(deps, result.userId);
  if (!user) throw new AppError('unauthorized', 'the account no longer exists');
  const { password_hash: _, ...publicUser } = user;
  return issue(deps, publicUser, result.familyId);
}

export async function logout(deps: SessionDeps, refreshToken: string, ip: string): Promise<void> {
  const familyId = await familyOf(deps, refreshToken);
  if (!familyId) return;
  await revokeFamily(deps, familyId);
  await revokeSession(deps, familyId);
  await audit(deps, { event: 'logout', ip, details: { familyId } });
}
