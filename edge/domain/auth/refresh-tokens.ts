/**
 * Refresh tokens: opaque, stored hashed, valid 30 days, rotated on every use. Presenting a token that was already
 * used means it leaked (or a client raced itself): the whole family — every token descended from that login — is
 * revoked, so a thief's copy dies with the victim's.
 */
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { sha256Hex } from '../sha256.ts';

export const REFRESH_TOKEN_TTL_DAYS = 30;

export function generateRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `twr_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export async function storeRefreshToken(deps: DomainDeps, userId: string, familyId: string): Promise<{ token: string; expiresAt: string }> {
  const token = generateRefreshToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now + REFRESH_TOKEN_TTL_DAYS * 86_400_000);
  await deps.db
    .insertInto('refresh_tokens')
    .values({ id: deps.ids.next(), user_id: userId, family_id: familyId, token_hash: await sha256Hex(token), expires_at: expiresAt, created_at: new Date(now) })
    .execute();
  return { token, expiresAt: expiresAt.toISOString() };
}

export type ConsumeResult = { userId: string; familyId: string } | { reused: true; userId: string; familyId: string };

/** Marks a presented token used, atomically, so two concurrent refreshes cannot both succeed. */
export async function consumeRefreshToken(deps: DomainDeps, token: string): Promise<ConsumeResult> {
  const hash = await sha256Hex(token);
  const now = new Date(deps.clock.now());
  const claimed = await deps.db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'family_id'])
    .executeTakeFirst();
  if (claimed) return { userId: claimed.user_id, familyId: claimed.family_id };
  const known = await deps.db.selectFrom('refresh_tokens').select(['user_id', 'family_id', 'used_at', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst();
  // Only a token that was already exchanged counts as reuse; a revoked, never-used one is merely invalid.
  if (known && known.used_at !== null) return { reused: true, userId: known.user_id, familyId: known.family_id };
  throw new AppError('unauthorized', 'refresh token is invalid or expired; log in again', { details: { reason: 'refresh_invalid' } });
}

export async function revokeFamily(deps: DomainDeps, familyId: string): Promise<void> {
  await deps.db.updateTable('refresh_tokens').set({ revoked_at: new Date(deps.clock.now()) }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

export async function familyOf(deps: DomainDeps, token: string): Promise<string | null> {
  const row = await deps.db.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', await sha256Hex(token)).executeTakeFirst();
  return row?.family_id ?? null;
}
