/**
 * Devices decide from the status alone whether to keep a payload and retry (429, 503 with Retry-After) or drop it
 * (400/401/403/413/415/422). An unexpected failure on an ingest route — the database or storage briefly down —
 * is not the payload's fault, so it is answered 503 with Retry-After instead of a bare 500: the unit keeps the
 * data in its buffer and sends it again, and since ingest is idempotent a retry never duplicates anything.
 * (The error handler has already logged the cause with the request id.)
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { errorBody } from '../errors.ts';
import { toAppError } from './error-handler.ts';

export const DEVICE_RETRY_AFTER_SECONDS = 10;

export function retryableForDevices(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.error || toAppError(c.error).code !== 'internal') return;
    const body = errorBody('unavailable', 'the server could not store this right now; keep it and retry later', { reason: 'storage_unavailable' }, c.get('requestId'));
    c.res = new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json', 'retry-after': String(DEVICE_RETRY_AFTER_SECONDS) } });
  };
}
