/** Reads `Authorization: Bearer <access token>` and puts the caller's Principal on the context, or answers 401. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { verifyAccessToken } from '../domain/auth/access-tokens.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';

export function requireUser(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = header.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new AppError('unauthorized', 'send an access token as "Authorization: Bearer <token>"');
    c.set('principal', await verifyAccessToken(match[1], platform.jwtSecret, platform.clock));
    await next();
  };
}
