/**
 * Access tokens are stateless JWTs valid for an hour; logging out revokes the refresh family in the database, but
 * a copy of the access token would still work until it expires, and an open live stream would keep flowing.
 * So a logout (and an API key's revocation) is also remembered in the shared cache for as long as an access token
 * can live: every authenticated request checks it, on every instance. And it is announced on the bus, so open live
 * streams of that session, key or user (removed) end at once, on every instance; the stream's heartbeat re-checks
 * in case an announcement was lost.
 */
import type { Bus } from '../../ports/bus.ts';
import type { Cache } from '../../ports/cache.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type Principal } from './access-tokens.ts';
import { accountRemoved, currentAccount, issuedBeforeReset } from './account-state.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface RevocationDeps {
  cache: Cache;
  bus: Bus;
}

const keyOf = (principal: Principal): string | null =>
  principal.apiKey ? `revoked:api-key:${principal.apiKey.id}` : principal.sessionId ? `revoked:session:${principal.sessionId}` : null;

export async function revokeSession(deps: RevocationDeps, sessionId: string): Promise<void> {
  await deps.cache.set(`revoked:session:${sessionId}`, true, { ttlSeconds: ACCESS_TOKEN_TTL_SECONDS + 60 });
  await deps.bus.announceRevocation({ kind: 'session', id: sessionId });
}

export async function revokeApiKey(deps: RevocationDeps, apiKeyId: string): Promise<void> {
  await deps.cache.set(`revoked:api-key:${apiKeyId}`, true, { ttlSeconds: ACCESS_TOKEN_TTL_SECONDS + 60 });
  await deps.bus.announceRevocation({ kind: 'api_key', id: apiKeyId });
}

/** After a user was deleted from the database: their tokens are refused and their live streams end. */
export async function revokeUser(deps: RevocationDeps, userId: string): Promise<void> {
  await accountRemoved(deps.cache, userId);
  await deps.bus.announceRevocation({ kind: 'user', id: userId });
}

export async function isRevoked(cache: Cache, principal: Principal): Promise<boolean> {
  const key = keyOf(principal);
  return key !== null && (await cache.get(key)) !== null;
}

/** For long-lived requests (the live feed) re-checking now and then: revoked, its user removed or moved, or reset. */
export async function isStillValid(deps: { db: Kysely<Database>; cache: Cache }, principal: Principal): Promise<boolean> {
  if (await isRevoked(deps.cache, principal)) return false;
  if (principal.apiKey || !principal.userId) return true;
  const account = await currentAccount(deps, principal.userId);
  return account !== null && account.fleetId === principal.fleetId && !issuedBeforeReset(principal, account);
}

/** Whether an announced revocation concerns this principal. */
export function concerns(revocation: { kind: string; id: string }, principal: Principal): boolean {
  if (revocation.kind === 'api_key') return principal.apiKey?.id === revocation.id;
  if (revocation.kind === 'session') return !principal.apiKey && principal.sessionId === revocation.id;
  return !principal.apiKey && principal.userId === revocation.id;
}
