/**
 * Counts and times every request by method, the route pattern Hono matched and the status class. The pattern, never
 * the URL: `/api/v1/vehicles/:id` is one series whatever the id, so label sets stay bounded.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../app-env.ts';
import type { Platform } from '../platform.ts';
import { metricsFor } from './app-metrics.ts';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Requests no route handles (404s for unknown paths) share this label, so scanners cannot mint series. */
export const UNMATCHED_ROUTE = 'unmatched';

export function httpMetrics(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const metrics = metricsFor(platform);
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const route = routePattern(c);
      // A handler's uncaught error is answered by onError inside next(), so c.res already holds the real status.
      metrics.httpRequests.inc({ method, route, status_class: `${Math.floor(c.res.status / 100)}xx` });
      metrics.httpDuration.observe({ method, route }, seconds);
      // The console's "API latency": pages, assets and the scrape itself are not the API.
      if (c.req.path.startsWith('/api/')) metrics.recentLatency.observe(seconds);
    }
  };
}

/**
 * The pattern of the handler that answered, or that the request was heading to when a guard refused it: the
 * first route registered for a method (not `app.use` middleware, method ALL) from the last one Hono dispatched.
 */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = Math.max(0, c.req.routeIndex); i < routes.length; i++) if (routes[i].method !== 'ALL') return routes[i].path;
  return UNMATCHED_ROUTE;
}
