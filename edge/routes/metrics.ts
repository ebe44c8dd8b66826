/**
 * GET /metrics: this instance's metrics in the Prometheus text format (0.0.4). For a platform admin (session or
 * access token), or for a scraper presenting METRICS_TOKEN as a bearer token; 401/403 JSON for anyone else.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { metricsFor } from '../observability/app-metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../observability/metrics.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';

export const METRICS_PATH = '/metrics';

/** Platform admins only: a person, not an API key, and no fleet's owner. */
export function requirePlatformAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.var.principal;
    if (principal.role !== 'admin' || principal.apiKey) throw new AppError('forbidden', 'platform admins only');
    await next();
  };
}

export function registerMetrics(app: Hono<AppEnv>, platform: Platform) {
  const token = platform.config.METRICS_TOKEN;
  const user = requireUser(platform);
  const admin = requirePlatformAdmin();
  const access: MiddlewareHandler<AppEnv> = async (c, next) => {
    const bearer = (c.req.header('authorization') ?? '').match(/^Bearer\s+(\S+)$/i)?.[1];
    if (token && bearer && (await sameSecret(bearer, token))) return next();
    await user(c, async () => {
      await admin(c, next);
    });
  };

  app.get(METRICS_PATH, access, async (c) => {
    const text = await metricsFor(platform).registry.render(platform);
    return c.body(text, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  });
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

export const metricsDocs: RouteDoc[] = [
  {
    method: 'get',
    path: METRICS_PATH,
    summary: 'Prometheus metrics of the instance that answers (text format 0.0.4); platform admins or METRICS_TOKEN',
    tag: 'Operations',
    auth: 'bearer',
    responses: { 200: 'text/plain; version=0.0.4', 401: 'No or unknown credentials', 403: 'Not a platform admin' },
  },
];
