/**
 * A cap on JSON bodies from devices: the largest legitimate batch (500 fixes) is well under a megabyte, and a
 * runaway or hostile sender must not make us buffer more. The body has already been read, bounded and timed, by
 * request-body-limit.ts (which never reads past the route's documented cap); this checks the device route's own,
 * tighter cap on those bytes.
 * Media that cannot be JSON (an image posted to the wrong URL) is a 415; JSON mislabelled as a form or text,
 * which real firmware sends, is read as JSON.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { bodyReadBefore } from './request-body-limit.ts';

const NOT_JSON = /^(image|video|audio|multipart)\//i;

export function jsonBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () => new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes; send smaller batches`, { details: { max_bytes: maxBytes } });
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (NOT_JSON.test(type)) throw new AppError('unsupported_media_type', `send JSON (application/json), not ${type.split(';')[0]}`, { details: { accepted: ['application/json'] } });
    const body = await bodyReadBefore(c.req);
    if (body && body.byteLength > maxBytes) throw tooLarge();
    return next();
  };
}
