/**
 * A cap on JSON bodies from devices, enforced while reading (Content-Length or chunked): the largest legitimate
 * batch (500 fixes) is well under a megabyte, and a runaway or hostile sender must not make us buffer more.
 * Media that cannot be JSON (an image posted to the wrong URL) is a 415; JSON mislabelled as a form or text,
 * which real firmware sends, is read as JSON.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

const NOT_JSON = /^(image|video|audio|multipart)\//i;

export function jsonBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes; send smaller batches`, { details: { max_bytes: maxBytes } });
    },
  });
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (NOT_JSON.test(type)) throw new AppError('unsupported_media_type', `send JSON (application/json), not ${type.split(';')[0]}`, { details: { accepted: ['application/json'] } });
    return limit(c, next);
  };
}
