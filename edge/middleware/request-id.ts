/**
 * Gives every request an id: the caller's X-Request-Id when it is sane (so traces join up across proxies),
 * otherwise a new one. Echoed in the response header and bound into the request's logger.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Logger } from '../observability/logger.ts';

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestId(log: Logger, newId: () => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SANE_ID.test(incoming) ? incoming : newId();
    c.set('requestId', id);
    c.set('log', log.child({ requestId: id }));
    c.header('X-Request-Id', id);
    await next();
  };
}
