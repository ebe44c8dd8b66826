/**
 * Authenticates the caller and puts their Principal on the context, or answers 401:
 * `Authorization: Bearer <access token>` for users, `Authorization: Bearer twk_…` or `X-API-Key: twk_…` for
 * integrators' API keys, or the browser session cookie (with the CSRF header on writes).
 * A user's token acts with the user's current role (a demoted owner is a viewer at once) and is refused once the
 * user is removed or the session logged out (domain/auth/account-state.ts, revoked-credentials.ts).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { verifyAccessToken, type Principal } from '../domain/auth/access-tokens.ts';
import { withCurrentAccount } from '../domain/auth/account-state.ts';
import { API_KEY_PREFIX, authenticateApiKey } from '../domain/auth/api-keys.ts';
import { isRevoked } from '../domain/auth/revoked-credentials.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { accessTokenCookie, requireCsrf } from './session-cookies.ts';

export function requireUser(platform: Platform): MiddlewareHandler<AppEnv> {
  const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
  return async (c, next) => {
    // Nested guards (a collection and a sub-resource) authenticate once.
    if (c.get('principal')) return next();
    const bearer = (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    let credential = c.req.header('x-api-key') ?? bearer;
    if (!credential) {
      // Browsers: the access token rides in an httpOnly cookie, so writes must prove same-site origin.
      credential = accessTokenCookie(c);
      if (credential) requireCsrf(c);
    }
    if (!credential) throw new AppError('unauthorized', 'send an access token or API key as "Authorization: Bearer <token>"');
    const principal = credential.startsWith(API_KEY_PREFIX) ? await authenticateApiKey(deps, credential) : await authenticateAccessToken(platform, credential);
    c.set('principal', principal);
    await next();
  };
}

/**
 * A user's access token as it stands now: signature and expiry, not logged out, the user still there, with the
 * user's current role. Every route that takes an access token goes through here (the MFA routes too).
 */
export async function authenticateAccessToken(platform: Platform, token: string): Promise<Principal> {
  const principal = await verifyAccessToken(token, platform.jwtSecret, platform.clock);
  // Both reads go to the shared cache at once (one round trip; Upstash pipelines them into one request).
  const [revoked, current] = await Promise.all([
    principal.sessionId ? isRevoked(platform.cache, principal) : false,
    withCurrentAccount({ db: platform.db.kysely, cache: platform.cache }, principal),
  ]);
  if (revoked) throw new AppError('unauthorized', 'this session has ended (logged out); log in again', { details: { reason: 'session_revoked' } });
  return current;
}

/** Guards a resource collection and everything under it (`/x` and `/x/*`), but for paths that authenticate otherwise. */
export function protectResource(app: Hono<AppEnv>, platform: Platform, path: string, options: { except?: string[] } = {}): void {
  const requireIt = requireUser(platform);
  const guard: MiddlewareHandler<AppEnv> = (c, next) => (options.except?.includes(c.req.path) ? next() : requireIt(c, next));
  app.use(path, guard);
  app.use(`${path}/*`, guard);
}
