/**
 * Access tokens are stateless JWTs valid for an hour; logging out revokes the refresh family in the database, but
 * a copy of the access token would still work until it expires, and an open live stream would keep flowing.
 * So a logout (and an API key's revocation) is also remembered in the shared cache for as long as an access token
 * can live: every authenticated request and every live stream checks it, on every instance.
 */
import type { Cache } from '../../ports/cache.ts';
import { ACCESS_TOKEN_TTL_SECONDS, type Principal } from './access-tokens.ts';

const keyOf = (principal: Principal): string | null =>
  principal.apiKey ? `revoked:api-key:${principal.apiKey.id}` : principal.sessionId ? `revoked:session:${principal.sessionId}` : null;

export async function rememberRevokedSession(cache: Cache, sessionId: string): Promise<void> {
  await cache.set(`revoked:session:${sessionId}`, true, { ttlSeconds: ACCESS_TOKEN_TTL_SECONDS + 60 });
}

export async function rememberRevokedApiKey(cache: Cache, apiKeyId: string): Promise<void> {
  await cache.set(`revoked:api-key:${apiKeyId}`, true, { ttlSeconds: ACCESS_TOKEN_TTL_SECONDS + 60 });
}

export async function isRevoked(cache: Cache, principal: Principal): Promise<boolean> {
  const key = keyOf(principal);
  return key !== null && (await cache.get(key)) !== null;
}
