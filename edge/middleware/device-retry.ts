/**
 * Devices decide from the status alone whether to keep a payload and retry (429, 503 with Retry-After) or drop it
 * (400/401/403/413/415/422). An unexpected failure on an ingest route — the database or storage briefly down —
 * is not the payload's fault, so it is answered 503 with Retry-After instead of a bare 500: the unit keeps the
 * data in its buffer and sends it again, and since ingest is idempotent a retry never duplicates anything.
 * (The error handler has already logged the cause with the request id.)
 * But a device whose vehicle was deleted while its request was under way fails on a foreign key, and would fail
 * for ever: when the device no longer exists the answer is 401 `device_removed`, which a unit does not retry.
 */
import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../app-env.ts';
import type { Database } from '../db/schema.ts';
import { errorBody } from '../errors.ts';
import { toAppError } from './error-handler.ts';

export const DEVICE_RETRY_AFTER_SECONDS = 10;

async function deviceGone(db: Kysely<Database>, deviceId: string): Promise<boolean> {
  try {
    return !(await db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst());
  } catch {
    return false; // the database itself is down: that is worth retrying
  }
}

export function retryableForDevices(db: Kysely<Database>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.error) return;
    const error = toAppError(c.error);
    // A foreign key the error handler answers 409 may be this device's vehicle gone: say so, as for any failure.
    const missingReference = error.code === 'conflict' && (error.details as { reason?: string } | null)?.reason === 'referenced_row_missing';
    if (error.code !== 'internal' && !missingReference) return;
    const device = c.get('device');
    if (device && (await deviceGone(db, device.deviceId))) {
      const body = errorBody('unauthorized', 'this device no longer exists (its vehicle or the device was deleted); provision it again', { reason: 'device_removed' }, c.get('requestId'));
      c.res = new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
      return;
    }
    if (missingReference) return;
    const body = errorBody('unavailable', 'the server could not store this right now; keep it and retry later', { reason: 'storage_unavailable' }, c.get('requestId'));
    c.res = new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': String(DEVICE_RETRY_AFTER_SECONDS) } });
  };
}
