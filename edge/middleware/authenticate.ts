/**
 * Authenticates the caller and puts their Principal on the context, or answers 401:
 * `Authorization: Bearer <access token>` for users, `Authorization: Bearer twk_…` or `X-API-Key: twk_…` for
 * integrators' API keys.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { verifyAccessToken } from '../domain/auth/access-tokens.ts';
import { API_KEY_PREFIX, authenticateApiKey } from '../domain/auth/api-keys.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';

export function requireUser(platform: Platform): MiddlewareHandler<AppEnv> {
  const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
  return async (c, next) => {
    const bearer = (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    const credential = c.req.header('x-api-key') ?? bearer;
    if (!credential) throw new AppError('unauthorized', 'send an access token or API key as "Authorization: Bearer <token>"');
    const principal = credential.startsWith(API_KEY_PREFIX)
      ? await authenticateApiKey(deps, credential)
      : await verifyAccessToken(credential, platform.jwtSecret, platform.clock);
    c.set('principal', principal);
    await next();
  };
}
