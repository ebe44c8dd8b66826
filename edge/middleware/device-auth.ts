/** Authenticates a device by its key (`Authorization: Bearer twd_…` or `X-Device-Key`) for the ingest routes. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { authenticateDevice } from '../domain/devices/device-auth.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';

export function requireDevice(platform: Platform): MiddlewareHandler<AppEnv> {
  const deps = { db: platform.db.kysely, cache: platform.cache, clock: platform.clock };
  return async (c, next) => {
    const key = c.req.header('x-device-key') ?? (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!key) throw new AppError('unauthorized', 'send the device key as "Authorization: Bearer <key>" or "X-Device-Key"', { details: { reason: 'device_key_missing' } });
    c.set('device', await authenticateDevice(deps, key));
    await next();
  };
}
