/**
 * GET /api/v1/health: each component's state, adapter and latency. 200 when all are ok, 503 naming the failing
 * ones otherwise. Each check is bounded in time so a hung backend makes health fail, not hang.
 */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { VERSION, type Platform } from '../platform.ts';
import type { HealthCheckable } from '../ports/health.ts';

const CHECK_TIMEOUT_MS = 3000;

export interface ComponentHealth {
  status: 'ok' | 'down';
  adapter: string;
  latency_ms: number;
  error?: string;
}

async function check(component: HealthCheckable): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([component.ping(), timeout]);
    return { status: 'ok', adapter: component.adapter, latency_ms: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', adapter: component.adapter, latency_ms: elapsed(started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/** Every component checked at once (also read by the admin console's system view). */
export async function checkComponents(platform: Platform): Promise<{ components: Record<string, ComponentHealth>; failing: string[] }> {
  const components = { db: platform.db, cache: platform.cache, bus: platform.bus, queue: platform.queue, blobs: platform.blobs };
  const names = Object.keys(components) as (keyof typeof components)[];
  const results = await Promise.all(names.map((name) => check(components[name])));
  return { components: Object.fromEntries(names.map((name, i) => [name, results[i]])), failing: names.filter((_, i) => results[i].status !== 'ok') };
}

export function registerHealth(app: Hono<AppEnv>, platform: Platform) {
  const handler = async (c: import('hono').Context<AppEnv>) => {
    const { components: report, failing } = await checkComponents(platform);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: failing.length === 0 ? 'ok' : 'down',
        version: VERSION,
        runtime: platform.runtime,
        failing,
        components: report,
      },
      failing.length === 0 ? 200 : 503,
    );
  };
  app.get('/api/v1/health', handler);
  app.get('/api/v1/health/', handler);
}

export const healthDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/health', summary: 'Component health with adapters and latency', tag: 'Operations', auth: 'none', responses: { 200: 'Every component up', 503: 'A component is down' } },
  { method: 'get', path: '/api/v1/health/', summary: 'Component health (trailing slash)', tag: 'Operations', auth: 'none', responses: { 200: 'Every component up', 503: 'A component is down' } },
];
