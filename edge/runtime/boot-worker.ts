/**
 * A worker process (`npm run worker`, `deno task worker`): runs jobs from the shared Postgres queue and serves
 * nothing, so vision scales by adding processes or machines while the edge keeps answering devices. Shared by the
 * Node and Deno worker entries; each adds only its signal handling.
 *
 * A worker needs DATABASE_URL (the embedded database belongs to the one server process that opened it) and the
 * database queue (with QStash, QStash pushes jobs to the app's endpoints: there is nothing to pull). It uses the
 * same blob store as the server (DATA_DIR on a shared disk, or S3). `--jobs analyse-frame,…` limits it to those jobs.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { jobHandlers, schedules } from '../../jobs/index.ts';
import { ANALYSE_FRAME_JOB } from '../domain/frames/frame-triage.ts';
import type { Platform } from '../platform.ts';
import { createLocalPlatform } from './local-platform.ts';

export interface Worker {
  platform: Platform;
  jobs: string[] | null;
  shutdown(): Promise<void>;
}

/** The job names after `--jobs` (comma-separated), or null for every job. */
export function workerJobs(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--jobs');
  const value = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--jobs='))?.slice('--jobs='.length);
  if (value === undefined) return null;
  return value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

/** Returns null (after printing why) when the worker cannot run here, so the entry can exit non-zero. */
export async function bootWorker(
  env: Record<string, string | undefined>,
  argv: readonly string[],
  runtime: 'node' | 'deno',
): Promise<Worker | null> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
  if (!config.DATABASE_URL) {
    console.error(
      'DATABASE_URL: a worker shares the Postgres of the server (the embedded database cannot be shared); set DATABASE_URL=postgres://…',
    );
    return null;
  }
  if (config.QSTASH_TOKEN) {
    console.error(
      'QSTASH_TOKEN: with QStash, jobs are pushed to the app’s /api/v1/jobs endpoints; a worker has nothing to pull. Unset QSTASH_TOKEN for the database queue.',
    );
    return null;
  }
  const jobs = workerJobs(argv);
  const platform = await createLocalPlatform(config, runtime, { onlyJobs: jobs ?? undefined });
  const all = jobHandlers(platform);
  const unknown = (jobs ?? []).filter((name) => !(name in all));
  if (unknown.length > 0) {
    console.error(`--jobs: unknown job ${unknown.join(', ')}; known: ${Object.keys(all).join(', ')}`);
    await platform.close();
    return null;
  }
  // A full worker keeps the schedules registered too, so a deployment whose servers run no jobs still fires them.
  if (!jobs) for (const spec of schedules) await platform.queue.schedule(spec);
  const analyserReady = await warmUpAnalyser(platform, jobs);
  platform.queue.start(all);
  platform.log.info('worker started', { jobs: jobs ?? 'all', concurrency: config.QUEUE_CONCURRENCY, analyserReady });
  return {
    platform,
    jobs,
    async shutdown() {
      // Jobs in flight finish first; a worker killed outright leaves its leases to expire and others to take over.
      await platform.queue.stop();
      await platform.close();
    },
  };
}

/**
 * A worker that analyses frames loads its model before it claims one: otherwise the first frame it takes (perhaps a
 * flagged one) waits seconds for the load. A failed warm-up is logged, not fatal: the job then loads the model itself
 * and reports its own error. Returns whether the analyser is warm (false: nothing to warm, or it failed).
 */
async function warmUpAnalyser(platform: Platform, jobs: string[] | null): Promise<boolean> {
  const analyser = platform.analyser;
  if (!analyser?.warmUp || (jobs && !jobs.includes(ANALYSE_FRAME_JOB))) return false;
  const started = Date.now();
  try {
    await analyser.warmUp();
    platform.log.info('analyser warmed up', { analyser: analyser.name, ms: Date.now() - started });
    return true;
  } catch (error) {
    platform.log.error('analyser warm-up failed; frames will load it themselves', {
      analyser: analyser.name,
      error: String(error),
    });
    return false;
  }
}

/**
 * The first SIGINT or SIGTERM lets the running job finish (shutdown), then exits; a second signal while it does is
 * ignored, so an impatient Ctrl-C cannot cut a frame's analysis in half. Each runtime passes its own signal and exit.
 */
export function stopOnSignals(
  worker: Worker,
  listen: (signal: 'SIGINT' | 'SIGTERM', handler: () => void) => void,
  exit: (code: number) => void,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    worker.platform.log.info('worker shutting down', { signal });
    await worker.shutdown();
    exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) listen(signal, () => void stop(signal));
}
