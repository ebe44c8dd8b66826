/**
 * An access token is a signed snapshot (user, role, fleet) that lives for an hour; the account can change sooner.
 * Every authenticated request therefore reads the account's current role and fleet — from the shared cache, for a
 * few seconds at most, else from the database — and acts with the current role, or refuses a token whose user is gone.
 * Removing a user or changing a role updates the cache at once (every instance shares it when Redis/Upstash is
 * configured), so it takes effect on the next request, not when the cache entry expires. An operator's reset from
 * the admin CLI (which cannot reach a server's cache) sets users.tokens_valid_after: effective within the TTL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Cache } from '../../ports/cache.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type Principal } from './access-tokens.ts';

export interface AccountState {
  role: Principal['role'];
  fleetId: string | null;
  /** Tokens issued before this (ms since the epoch) are refused: an operator reset the password or second factor. */
  tokensValidAfter: number | null;
}

type Cached = AccountState | { removed: true };

/** How long a looked-up state is trusted: bounds the effect of a change made without the invalidation below. */
export const ACCOUNT_STATE_TTL_SECONDS = 15;

const keyOf = (userId: string) => `account:${userId}`;

/** The account as it is now, or null when it no longer exists. */
export async function currentAccount(deps: { db: Kysely<Database>; cache: Cache }, userId: string): Promise<AccountState | null> {
  const cached = await deps.cache.get<Cached>(keyOf(userId));
  if (cached) return 'removed' in cached ? null : cached;
  const row = await deps.db.selectFrom('users').select(['role', 'fleet_id', 'tokens_valid_after']).where('id', '=', userId).executeTakeFirst();
  const state: Cached = row ? { role: row.role, fleetId: row.fleet_id, tokensValidAfter: row.tokens_valid_after?.getTime() ?? null } : { removed: true };
  await deps.cache.set(keyOf(userId), state, { ttlSeconds: ACCOUNT_STATE_TTL_SECONDS });
  return row ? (state as AccountState) : null;
}

/** After the role (or fleet) of a user changed in the database: the next request of any of their tokens reads it. */
export async function accountChanged(cache: Cache, userId: string): Promise<void> {
  await cache.delete(keyOf(userId));
}

/** After a user was removed: every token of theirs is refused from now on (as long as a token can live). */
export async function accountRemoved(cache: Cache, userId: string): Promise<void> {
  await cache.set(keyOf(userId), { removed: true } satisfies Cached, { ttlSeconds: ACCESS_TOKEN_TTL_SECONDS + 60 });
}

/** Whether the token predates an operator's reset (compared in whole seconds, the token's own precision). */
export function issuedBeforeReset(principal: Principal, account: AccountState): boolean {
  return typeof account.tokensValidAfter === 'number' && principal.issuedAt !== undefined && principal.issuedAt < Math.floor(account.tokensValidAfter / 1000);
}

/**
 * The principal a user's token stands for now: its user's current role and fleet. Refused (401) when the user was
 * removed. API keys are checked against their own row on every request already and pass through unchanged.
 */
export async function withCurrentAccount(deps: { db: Kysely<Database>; cache: Cache }, principal: Principal): Promise<Principal> {
  if (principal.apiKey || !principal.userId) return principal;
  const account = await currentAccount(deps, principal.userId);
  if (!account) throw new AppError('unauthorized', 'the account no longer exists', { details: { reason: 'account_removed' } });
  if (issuedBeforeReset(principal, account)) throw new AppError('unauthorized', "the account's password or second factor was reset; log in again", { details: { reason: 'session_revoked' } });
  // A token minted for one tenant never acts in another (users do not move between fleets; this is a guard).
  if (account.fleetId !== principal.fleetId) throw new AppError('unauthorized', 'the account changed; log in again', { details: { reason: 'account_changed' } });
  return account.role === principal.role ? principal : { ...principal, role: account.role };
}
