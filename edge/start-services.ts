/**
 * What every long-running runtime does once its platform exists: bootstrap the first admin, seed demo data
 * on an empty embedded database, register cron schedules, queue the sweep of telemetry a crash left unapplied
 * (jobs/apply-pending-telemetry.ts) and start consuming jobs.
 */
import { jobHandlers, schedules } from '../jobs/index.ts';
import { bootstrapAdmin } from './domain/bootstrap-admin.ts';
import { seedDemoData, type DemoData } from './domain/demo-data.ts';
import type { Platform } from './platform.ts';

export interface StartedServices {
  /** The demo data this start created (logins and device keys in clear, for the entry to show once), else null. */
  demo: DemoData | null;
}

export async function startServices(platform: Platform): Promise<StartedServices> {
  const { config, db, clock, ids, log, queue } = platform;
  const deps = { db: db.kysely, clock, ids };

  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const outcome = await bootstrapAdmin(deps, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    log.info('admin bootstrap', { email: config.ADMIN_EMAIL, outcome });
  }

  // Demo data only ever goes into the embedded database: a real DATABASE_URL is somebody's production.
  const demo = db.embedded && config.DEMO_DATA ? await seedDemoData(deps) : null;
  if (demo) log.info('demo data created', { fleetId: demo.fleet.id });

  for (const spec of schedules) await queue.schedule(spec);
  // Nothing of this process is applying telemetry or queueing analyses yet: what is left is from before the start
  // (a crash after the answer), so it is picked up now rather than at the sweeps' next turn. Both are no-ops for work
  // another instance is doing (pending-telemetry marks are taken once; analysis jobs carry dedupe ids).
  await queue.enqueue('apply-pending-telemetry', { olderThanSeconds: 0 }, { dedupeId: `apply-pending-telemetry:start:${ids.next()}` });
  await queue.enqueue('requeue-pending-frames', { olderThanSeconds: 0 }, { dedupeId: `requeue-pending-frames:start:${ids.next()}` });
  // With RUN_JOBS=false the jobs are left to `npm run worker` processes (edge/runtime/boot-worker.ts).
  if (config.RUN_JOBS) queue.start(jobHandlers(platform));
  return { demo };
}
