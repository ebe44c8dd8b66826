/** One structured log line per request, after it is answered. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export function accessLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) c.var.log.error('request', fields);
    else c.var.log.info('request', fields);
  };
}
