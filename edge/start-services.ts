/**
 * What every long-running runtime does once its platform exists: bootstrap the first admin, seed demo data
 * on an empty embedded database, register cron schedules and start consuming jobs.
 */
import { jobHandlers, schedules } from '../jobs/index.ts';
import { publicUrl } from './config.ts';
import { bootstrapAdmin } from './domain/bootstrap-admin.ts';
import { formatDemoBanner, seedDemoData } from './domain/demo-data.ts';
import type { Platform } from './platform.ts';

export interface StartServicesOptions {
  /** Where the one-time demo banner goes (logins and device keys for a person, not a log line). */
  print?: (text: string) => void;
}

export async function startServices(platform: Platform, options: StartServicesOptions = {}): Promise<void> {
  const { config, db, clock, ids, log, queue } = platform;
  const deps = { db: db.kysely, clock, ids };

  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    const outcome = await bootstrapAdmin(deps, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    log.info('admin bootstrap', { email: config.ADMIN_EMAIL, outcome });
  }

  // Demo data only ever goes into the embedded database: a real DATABASE_URL is somebody's production.
  if (db.embedded && config.DEMO_DATA) {
    const demo = await seedDemoData(deps);
    if (demo) {
      log.info('demo data created', { fleetId: demo.fleet.id });
      (options.print ?? console.log)(formatDemoBanner(demo, publicUrl(config)));
    }
  }

  for (const spec of schedules) await queue.schedule(spec);
  queue.start(jobHandlers(platform));
}
