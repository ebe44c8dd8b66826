/**
 * Second factor: TOTP enrolment (otpauth URI), verification with single-use recovery codes, and the
 * second step of a login. Platform admins cannot finish a login without it: an admin without TOTP gets an
 * enrolment-only token, and a session only after enrolling.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { sql } from 'kysely';
import { AppError } from '../../errors.ts';
import { sha256Hex } from '../sha256.ts';
import { audit } from './audit.ts';
import { newRecoveryCodes } from './recovery-codes.ts';
import type { SessionDeps } from './sessions.ts';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.ts';

const MFA_ISSUER = 'taxiwatch-mfa';
const MFA_TOKEN_TTL_SECONDS = 300;

/** A short-lived token proving the password step; it is not an access token (different issuer). */
export async function issueMfaToken(deps: SessionDeps, userId: string): Promise<string> {
  const now = Math.floor(deps.clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(MFA_ISSUER)
    .setSubject(userId)
    .setIssuedAt(now)
    .setExpirationTime(now + MFA_TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(deps.jwtSecret));
}

export async function verifyMfaToken(deps: SessionDeps, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(deps.jwtSecret), { issuer: MFA_ISSUER, algorithms: ['HS256'], currentDate: new Date(deps.clock.now()), requiredClaims: ['exp', 'sub'] });
    return payload.sub as string;
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    throw new AppError('unauthorized', expired ? 'the login step has expired; log in again' : 'mfa_token is invalid', { cause: error });
  }
}

async function user(deps: SessionDeps, userId: string) {
  const row = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'fleet_id', 'totp_secret', 'mfa_enabled', 'recovery_codes', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new AppError('unauthorized', 'the account no longer exists');
  return row;
}

export async function enrollMfa(deps: SessionDeps, userId: string) {
  const account = await user(deps, userId);
  if (account.mfa_enabled) throw new AppError('conflict', 'two-factor authentication is already on; disable it first');
  const secret = newTotpSecret();
  await deps.db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', userId).execute();
  return { secret, otpauth_uri: otpauthUri(secret, account.email) };
}

/** Checks a TOTP code (each code once) or a recovery code (each once); false when neither matches. */
export async function checkSecondFactor(deps: SessionDeps, userId: string, input: { code?: string; recovery_code?: string }): Promise<boolean> {
  const account = await user(deps, userId);
  if (!account.totp_secret) return false;
  if (input.code) {
    const step = verifyTotp(account.totp_secret, input.code, deps.clock.now());
    if (step === null) return false;
    // Conditional update: of concurrent requests with one code, exactly one moves the step forward.
    const used = await deps.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .returning('id')
      .executeTakeFirst();
    return used !== undefined;
  }
  if (input.recovery_code) {
    const hash = await sha256Hex(input.recovery_code.trim().toLowerCase());
    // One statement removes the code only if it is still there (jsonb `?` then `-`): of concurrent logins
    // with one code, exactly one gets a row back; reading the list and writing it back would let all of them in.
    const used = await deps.db
      .updateTable('users')
      .set({ recovery_codes: sql`recovery_codes - ${hash}::text` })
      .where('id', '=', userId)
      .where(sql<boolean>`recovery_codes ? ${hash}::text`)
      .returning('id')
      .executeTakeFirst();
    if (!used) return false;
    await audit(deps, { event: 'mfa_recovery_code_used', userId, fleetId: account.fleet_id });
    return true;
  }
  return false;
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
export async function activateMfa(deps: SessionDeps, userId: string, code: string): Promise<string[]> {
  const account = await user(deps, userId);
  if (account.mfa_enabled) throw new AppError('conflict', 'two-factor authentication is already on');
  if (!account.totp_secret) throw new AppError('conflict', 'start with POST /api/v1/auth/mfa/enroll');
  if (!(await checkSecondFactor(deps, userId, { code }))) throw new AppError('unauthorized', 'the code does not match; check the device clock and try the next code');
  const { codes, hashes } = await newRecoveryCodes();
  await deps.db.updateTable('users').set({ mfa_enabled: true, recovery_codes: JSON.stringify(hashes) }).where('id', '=', userId).execute();
  await audit(deps, { event: 'mfa_enabled', userId, fleetId: account.fleet_id });
  return codes;
}

export async function disableMfa(deps: SessionDeps, userId: string, code: string): Promise<void> {
  const account = await user(deps, userId);
  if (account.role === 'admin') throw new AppError('forbidden', 'platform admins must keep two-factor authentication on');
  if (!account.mfa_enabled) throw new AppError('conflict', 'two-factor authentication is not on');
  if (!(await checkSecondFactor(deps, userId, { code }))) throw new AppError('unauthorized', 'the code does not match');
  await deps.db.updateTable('users').set({ mfa_enabled: false, totp_secret: null, recovery_codes: '[]', totp_last_step: null }).where('id', '=', userId).execute();
  await audit(deps, { event: 'mfa_disabled', userId, fleetId: account.fleet_id });
}
