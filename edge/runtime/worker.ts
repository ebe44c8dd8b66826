/** Cloudflare Workers entry: `npx wrangler dev` / `wrangler deploy`. */
import { createApp } from '../app.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { errorBody } from '../errors.ts';
import { jobHandlers, schedules } from '../../jobs/index.ts';
import { trackBackgroundWork, type ExecutionContextLike } from './worker-background.ts';
import { createIsolateShared, createWorkerPlatform, type IsolateShared } from './worker-platform.ts';
import { createWorkersAssets, type AssetsFetcher } from '../adapters/assets/workers-assets.ts';

type WorkerContext = ExecutionContextLike;

// Bindings are fixed for an isolate's lifetime, so configuration and shared clients are built once.
let isolate: { config: Config; shared: IsolateShared } | ConfigError | undefined;

function setup(env: Record<string, unknown>) {
  if (isolate) return isolate;
  try {
    const config = loadConfig(env);
    isolate = { config, shared: createIsolateShared(config) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    isolate = error;
  }
  return isolate;
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: WorkerContext): Promise<Response> {
    const ready = setup(env);
    if (ready instanceof ConfigError) {
      return Response.json(errorBody('not_configured', ready.message, ready.issues, undefined), { status: 503 });
    }
    const { platform, dbQueue } = createWorkerPlatform(ready.config, ready.shared);
    const background = trackBackgroundWork(ctx);
    // Without QStash the queue is in the database and only the cron trigger (minutes apart) would run it: a request
    // that queued work (a frame to analyse, a webhook) runs what is due itself, after its answer, within waitUntil.
    let queued = false;
    if (dbQueue) {
      const enqueue = dbQueue.enqueue.bind(dbQueue);
      dbQueue.enqueue = (...args) => ((queued = true), enqueue(...args));
    }
    try {
      // Cloudflare answers /assets/* from web/dist itself; pages read the manifest through the binding.
      const webAssets = env.ASSETS ? createWorkersAssets(env.ASSETS as AssetsFetcher) : undefined;
      return await createApp(platform, { webAssets }).fetch(request, env, background.ctx as never);
    } finally {
      background.finally(async () => {
        try {
          if (dbQueue && queued) {
            dbQueue.setHandlers(jobHandlers(platform));
            await dbQueue.runDue();
          }
        } catch (error) {
          platform.log.error('running queued jobs after the answer failed; the cron trigger retries them', { error: String(error) });
        } finally {
          await platform.db.close();
        }
      });
    }
  },

  /** The cron trigger drains the durable queue and fires due schedules (Workers have no background loop). */
  async scheduled(_event: { cron: string; scheduledTime: number }, env: Record<string, unknown>, ctx: WorkerContext): Promise<void> {
    const ready = setup(env);
    if (ready instanceof ConfigError) return;
    const { platform, dbQueue } = createWorkerPlatform(ready.config, ready.shared);
    if (platform.queue.adapter === 'qstash') {
      // QStash runs the schedules itself; each tick (re)creates them idempotently, so a deploy needs no extra step.
      try {
        for (const spec of schedules) await platform.queue.schedule(spec);
      } finally {
        ctx.waitUntil(platform.db.close());
      }
      return;
    }
    if (!dbQueue) {
      platform.log.warn('scheduled tick skipped: no queue is configured');
      return;
    }
    try {
      dbQueue.setHandlers(jobHandlers(platform));
      const ran = await dbQueue.runDue();
      platform.log.info('scheduled tick', { jobs: ran });
    } finally {
      ctx.waitUntil(platform.db.close());
    }
  },
};
