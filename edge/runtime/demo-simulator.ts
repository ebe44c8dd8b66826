/**
 * `npm start -- --demo` (or DEMO_SIMULATOR=true): once the server listens, the demo fleet's taxis start driving —
 * the simulator, in this process, posting to this server through the device protocol exactly as units do.
 * Device keys are stored only as hashes, so the demo taxis get one extra device each, named "Demo simulator",
 * whose key lives only in this process; it is replaced at every start. Only on the embedded database: a
 * configured DATABASE_URL is somebody's real data.
 */
import { createDevice } from '../domain/provisioning.ts';
import type { Platform } from '../platform.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { formatStats, runSimulation } from '../../firmware/simulator/simulator.ts';
import { loadFrames, loadTracks } from '../../firmware/simulator/track-loader.ts';

export const SIMULATOR_DEVICE_NAME = 'Demo simulator';

/** Never throws: a demo that cannot drive (no recorded drives, no demo fleet) is logged, and the server keeps serving. */
export async function startDemoSimulator(platform: Platform, baseUrl: string): Promise<void> {
  try {
    await driveDemoFleet(platform, baseUrl);
  } catch (error) {
    platform.log.error('demo simulator not started', { error: error instanceof Error ? error.message : String(error) });
  }
}

async function driveDemoFleet(platform: Platform, baseUrl: string): Promise<void> {
  const { log } = platform;
  if (platform.config.DATABASE_URL) {
    log.warn('demo simulator not started: it only drives the embedded database’s demo fleet');
    return;
  }
  const db = platform.db.kysely;
  const fleet = await db.selectFrom('fleets').select('id').where('name', '=', 'Taxis Demo').orderBy('created_at').executeTakeFirst();
  if (!fleet) {
    log.warn('demo simulator not started: there is no demo fleet (DEMO_DATA=false, or the database predates it)');
    return;
  }
  const dataDir = sharedDataDir(); // before any device is made: without recorded drives there is nothing to drive
  const tracks = loadTracks(dataDir);
  const frames = loadFrames(dataDir);
  const vehicles = await db.selectFrom('vehicles').select('id').where('fleet_id', '=', fleet.id).orderBy('plate').execute();
  const keys: string[] = [];
  for (const vehicle of vehicles) {
    await db.deleteFrom('devices').where('vehicle_id', '=', vehicle.id).where('name', '=', SIMULATOR_DEVICE_NAME).execute();
    keys.push((await createDevice({ db, clock: platform.clock, ids: platform.ids }, { vehicleId: vehicle.id, name: SIMULATOR_DEVICE_NAME })).key);
  }
  log.info('demo simulator driving', { taxis: keys.length, dataDir });
  runSimulation({ baseUrl, keys, tracks, frames, durationSeconds: 7 * 86_400, frameEverySeconds: 10 }).then(
    (stats) => log.info('demo simulator finished', { summary: formatStats(stats) }),
    (error: unknown) => log.error('demo simulator stopped', { error: String(error) }),
  );
}
