/**
 * Fixed-window rate limits for the API, per API key or device key when one is presented and per client address otherwise,
 * counted in the shared cache so every instance enforces the same budget. Answers carry the IETF RateLimit
 * headers; over the limit is 429 with Retry-After.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { API_KEY_PREFIX } from '../domain/auth/api-keys.ts';
import { DEVICE_KEY_PREFIX } from '../domain/device-keys.ts';
import { sha256Hex } from '../domain/sha256.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { clientIp } from './client-ip.ts';

const WINDOW_SECONDS = 60;

// Health probes and QStash deliveries are infrastructure, not clients: they are never limited.
const EXEMPT = [/^\/api\/v1\/health\/?$/, /^\/api\/v1\/jobs\//];

export function rateLimit(platform: Platform, limits: { perKey: number; perIp: number }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (EXEMPT.some((pattern) => pattern.test(c.req.path))) return next();
    const bearer = (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    // API keys and device keys get their own budget: many taxis can share one carrier NAT address.
    const apiKey =
      c.req.header('x-api-key') ?? c.req.header('x-device-key') ?? (bearer?.startsWith(API_KEY_PREFIX) || bearer?.startsWith(DEVICE_KEY_PREFIX) ? bearer : undefined);
    const nowSeconds = Math.floor(platform.clock.now() / 1000);
    const window = Math.floor(nowSeconds / WINDOW_SECONDS);
    const subject = apiKey ? `key:${(await sha256Hex(apiKey)).slice(0, 32)}` : `ip:${clientIp(c)}`;
    const limit = apiKey ? limits.perKey : limits.perIp;
    const used = await platform.cache.increment(`rate:${subject}:${window}`, 1, { ttlSeconds: WINDOW_SECONDS });
    const reset = (window + 1) * WINDOW_SECONDS - nowSeconds;
    c.header('RateLimit-Limit', String(limit));
    c.header('RateLimit-Remaining', String(Math.max(0, limit - used)));
    c.header('RateLimit-Reset', String(reset));
    if (used > limit) throw new AppError('rate_limited', `rate limit of ${limit} requests per minute exceeded`, { retryAfterSeconds: reset });
    await next();
  };
}
