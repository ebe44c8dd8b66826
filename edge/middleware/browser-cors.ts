/**
 * CORS for the browsers that ask for it. Only a request with an Origin header (every cross-origin request, and a
 * preflight) can use CORS headers, so hono/cors runs for those alone. Devices and integrations send no Origin,
 * and skipping it for them matters: hono/cors touches the response before and after the handler, which makes
 * Node build every answer twice (a tenth of a device request's CPU at thousands of taxis). Their answers still
 * say `Vary: Origin`, set before the handler where it costs nothing, so a cache never serves one to a browser.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env.ts';

export function browserCors(options: Parameters<typeof cors>[0]): MiddlewareHandler<AppEnv> {
  const forBrowsers = cors(options);
  return (c, next) => {
    if (c.req.header('origin') !== undefined) return forBrowsers(c, next);
    c.header('Vary', 'Origin');
    return next();
  };
}
