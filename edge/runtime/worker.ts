/** Cloudflare Workers entry: `npx wrangler dev` / `wrangler deploy`. */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { errorBody } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { createWorkerPlatform } from './worker-platform.ts';

interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

// Bindings are fixed for an isolate's lifetime, so the platform and app are built once per isolate.
let built: { platform: Platform; app: Hono<AppEnv> } | ConfigError | undefined;

function build(env: Record<string, unknown>) {
  if (built) return built;
  try {
    const platform = createWorkerPlatform(loadConfig(env));
    built = { platform, app: createApp(platform) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    built = error;
  }
  return built;
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: WorkerContext): Promise<Response> {
    const ready = build(env);
    if (ready instanceof ConfigError) {
      return Response.json(errorBody('not_configured', ready.message, ready.issues, undefined), { status: 503 });
    }
    return ready.app.fetch(request, env, ctx as never);
  },

  async scheduled(_event: { cron: string; scheduledTime: number }, env: Record<string, unknown>): Promise<void> {
    const ready = build(env);
    if (ready instanceof ConfigError) return;
    // Cron schedules belong to the queue (QStash schedules on Workers); report plainly when none is configured.
    await ready.platform.queue.ping().catch((error: unknown) => {
      ready.platform.log.warn('scheduled tick skipped', { reason: error instanceof Error ? error.message : String(error) });
    });
  },
};
