/**
 * Authenticates a device by its key (`Authorization: Bearer twd_…` or `X-Device-Key`) for the ingest routes, and
 * hands a device whose key is about to expire its next key on every 2xx answer (domain/devices/key-rotation.ts).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { authenticateDevice } from '../domain/devices/device-auth.ts';
import { dueForRotation, NEXT_KEY_EXPIRES_HEADER, NEXT_KEY_HEADER, nextKeyFor } from '../domain/devices/key-rotation.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';

export function requireDevice(platform: Platform): MiddlewareHandler<AppEnv> {
  // `urgent`: a device's answer waits on its key look-up (ports/db.ts).
  const deps = { db: platform.db.urgent, cache: platform.cache, clock: platform.clock };
  return async (c, next) => {
    const key = c.req.header('x-device-key') ?? (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!key) throw new AppError('unauthorized', 'send the device key as "Authorization: Bearer <key>" or "X-Device-Key"', { details: { reason: 'device_key_missing' } });
    const device = await authenticateDevice(deps, key);
    c.set('device', device);
    await next();
    if (!device.currentKeyExpiresAt || c.res.status < 200 || c.res.status >= 300) return;
    const now = platform.clock.now();
    if (!dueForRotation(Date.parse(device.currentKeyExpiresAt), now)) return;
    const nextKey = await nextKeyFor(platform.db.kysely, device.deviceId, key, now);
    if (!nextKey) return;
    c.res.headers.set(NEXT_KEY_HEADER, nextKey.key);
    c.res.headers.set(NEXT_KEY_EXPIRES_HEADER, nextKey.expiresAt);
  };
}
