/**
 * A new set of recovery codes for a user who still has the authenticator app (the old set stops working), and how
 * many unused codes are left, so the web app can suggest a new set before they run out.
 */
import { AppError } from '../../errors.ts';
import { audit } from './audit.ts';
import { checkSecondFactor } from './mfa.ts';
import { newRecoveryCodes } from './recovery-codes.ts';
import type { SessionDeps } from './sessions.ts';

/** Whether the user's second factor is on, and how many recovery codes are still unused. */
export async function secondFactorStatus(deps: SessionDeps, userId: string) {
  const row = await deps.db.selectFrom('users').select(['mfa_enabled', 'recovery_codes']).where('id', '=', userId).executeTakeFirst();
  if (!row) throw new AppError('unauthorized', 'the account no longer exists');
  return { enabled: row.mfa_enabled, recovery_codes_left: row.mfa_enabled ? (row.recovery_codes as string[]).length : 0 };
}

/**
 * Replaces the user's recovery codes with a new set, returned this once. Asks for a current code from the
 * authenticator app, so a session left open on somebody else's screen cannot mint codes.
 */
export async function regenerateRecoveryCodes(deps: SessionDeps, userId: string, code: string): Promise<string[]> {
  const { enabled } = await secondFactorStatus(deps, userId);
  if (!enabled) throw new AppError('conflict', 'two-factor authentication is off; turn it on first (POST /api/v1/auth/mfa/enroll)');
  if (!(await checkSecondFactor(deps, userId, { code }))) throw new AppError('unauthorized', 'the code does not match; enter the current code from the authenticator app');
  const { codes, hashes } = await newRecoveryCodes();
  const account = await deps.db.updateTable('users').set({ recovery_codes: JSON.stringify(hashes) }).where('id', '=', userId).returning('fleet_id').executeTakeFirstOrThrow();
  await audit(deps, { event: 'mfa_recovery_codes_regenerated', userId, fleetId: account.fleet_id });
  return codes;
}
