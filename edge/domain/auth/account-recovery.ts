/**
 * Getting a login back, for an operator with database access (the admin CLI): a new password, or the second factor
 * turned off. Both end the account's sessions (refresh tokens, and access tokens already issued: refused within
 * seconds through users.tokens_valid_after, see account-state.ts) and are written to the audit log.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { generatePassword, hashPassword } from '../passwords.ts';
import { parseInput } from '../validation.ts';
import { audit } from './audit.ts';

const email = z.string().trim().toLowerCase().pipe(z.email());
const resetPasswordInput = z.object({ email, password: z.string().min(12, 'must be at least 12 characters').max(200).optional() });

async function account(deps: DomainDeps, address: string) {
  const user = await deps.db.selectFrom('users').select(['id', 'email', 'role', 'fleet_id', 'mfa_enabled']).where('email', '=', address).executeTakeFirst();
  if (!user) throw new AppError('not_found', `no user has the email ${address}`);
  return user;
}

async function endSessions(deps: DomainDeps, userId: string): Promise<number> {
  await deps.db.updateTable('users').set({ tokens_valid_after: new Date(deps.clock.now()) }).where('id', '=', userId).execute();
  const revoked = await deps.db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date(deps.clock.now()) })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(revoked.numUpdatedRows);
}

/** Sets the given password, or a generated one, which is returned in clear this once. */
export async function resetPassword(deps: DomainDeps, input: z.input<typeof resetPasswordInput>) {
  const data = parseInput(resetPasswordInput, input);
  const user = await account(deps, data.email);
  const password = data.password ?? generatePassword();
  await deps.db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute();
  const sessionsEnded = await endSessions(deps, user.id);
  await audit(deps, { event: 'password_reset', userId: user.id, fleetId: user.fleet_id, details: { by: 'operator', sessions_ended: sessionsEnded } });
  return { user_id: user.id, email: user.email, role: user.role, password, generated: data.password === undefined, sessions_ended: sessionsEnded };
}

/**
 * Turns the second factor off and forgets its secret and recovery codes. A platform admin cannot log in without
 * one, so the admin's next login asks to enrol a new authenticator; owners and viewers log in with the password.
 */
export async function resetMfa(deps: DomainDeps, input: { email: string }) {
  const data = parseInput(z.object({ email }), input);
  const user = await account(deps, data.email);
  await deps.db.updateTable('users').set({ mfa_enabled: false, totp_secret: null, recovery_codes: '[]', totp_last_step: null }).where('id', '=', user.id).execute();
  const sessionsEnded = await endSessions(deps, user.id);
  await audit(deps, { event: 'mfa_reset', userId: user.id, fleetId: user.fleet_id, details: { by: 'operator', was_enabled: user.mfa_enabled, sessions_ended: sessionsEnded } });
  return { user_id: user.id, email: user.email, role: user.role, was_enabled: user.mfa_enabled, enrol_at_next_login: user.role === 'admin', sessions_ended: sessionsEnded };
}
