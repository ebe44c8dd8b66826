/**
 * `npm start -- --demo` (or DEMO_SIMULATOR=true): once the server listens, the demo fleet's taxis start driving —
 * the simulator, in this process, posting to this server through the device protocol exactly as units do, with each
 * taxi's own cameras (their keys are derived, see domain/demo-device-keys.ts): the road camera sends the GPS fixes
 * and road pictures, the cabin camera pictures of a person. No device is added for it. Only on the embedded
 * database: a configured DATABASE_URL is somebody's real data.
 */
import { DEMO_CAMERAS, DEMO_FLEET, DEMO_TAXIS } from '../domain/demo-data.ts';
import { currentDemoDeviceKey } from '../domain/demo-device-keys.ts';
import { DEVICE_KEY_LIFETIME_DAYS } from '../domain/device-keys.ts';
import type { Platform } from '../platform.ts';
import { loadCityRoutes } from '../../firmware/simulator/city-routes.ts';
import { cyclePointNear } from '../../firmware/simulator/route-cycle.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { formatStats, runSimulation, type TaxiPlan } from '../../firmware/simulator/simulator.ts';
import { loadCabinFrames, loadFrames, type Track } from '../../firmware/simulator/track-loader.ts';

/** Earlier versions added a device of this name to every demo taxi at each start; they are removed. */
const OLD_SIMULATOR_DEVICE_NAME = 'Demo simulator';
/** Long enough, with the unit switched off, for the trip to end (10 minutes by default) at each end of a route. */
const REST_SECONDS = 11 * 60;

/** Never throws: a demo that cannot drive (no recorded drives, no demo fleet) is logged, and the server keeps serving. */
export async function startDemoSimulator(platform: Platform, baseUrl: string): Promise<void> {
  try {
    const taxis = await planDemoFleet(platform);
    if (!taxis) return;
    runSimulation({ baseUrl, taxis, durationSeconds: 7 * 86_400, frameEverySeconds: 30, heartbeatEverySeconds: 60, restSeconds: REST_SECONDS }).then(
      (stats) => platform.log.info('demo simulator finished', { summary: formatStats(stats) }),
      (error: unknown) => platform.log.error('demo simulator stopped', { error: String(error) }),
    );
  } catch (error) {
    platform.log.error('demo simulator not started', { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Each demo taxi with its cameras' keys and route, or null (logged) when there is nothing to drive. */
export async function planDemoFleet(platform: Platform, dataDir?: string): Promise<TaxiPlan[] | null> {
  const { log } = platform;
  if (platform.config.DATABASE_URL) {
    log.warn('demo simulator not started: it only drives the embedded database’s demo fleet');
    return null;
  }
  const db = platform.db.kysely;
  const fleet = await db.selectFrom('fleets').select('id').where('name', '=', DEMO_FLEET.name).orderBy('created_at').executeTakeFirst();
  if (!fleet) {
    log.warn('demo simulator not started: there is no demo fleet (DEMO_DATA=false, or the database predates it)');
    return null;
  }
  const dir = dataDir ?? sharedDataDir(); // before anything changes: without recorded drives there is nothing to drive
  const routes = loadCityRoutes(dir);
  const pictures = { road: loadFrames(dir), cabin: loadCabinFrames(dir) };
  await db.deleteFrom('devices').where('fleet_id', '=', fleet.id).where('name', '=', OLD_SIMULATOR_DEVICE_NAME).execute();

  const taxis: TaxiPlan[] = [];
  for (const plan of DEMO_TAXIS) {
    const vehicle = await db.selectFrom('vehicles').select('id').where('fleet_id', '=', fleet.id).where('plate', '=', plan.plate).executeTakeFirst();
    if (!vehicle) continue;
    const devices = await db.selectFrom('devices').select(['id', 'name', 'key_hash', 'status']).where('vehicle_id', '=', vehicle.id).orderBy('created_at').execute();
    const cameras = [];
    for (const camera of DEMO_CAMERAS) {
      const device = devices.find((d) => d.name === camera.name(plan.plate));
      const key = device ? await currentDemoDeviceKey(db, device) : null;
      if (!key) continue;
      await keepDemoKeyFresh(platform, device!.id);
      cameras.push({ key, frames: pictures[camera.role] });
    }
    if (cameras.length === 0) continue; // its keys were renewed or revoked: those units are somebody's real ones now
    const route = routes[plan.route % routes.length];
    taxis.push({ key: cameras[0].key, cameras, track: route, startAt: (await whereItLeftOff(platform, vehicle.id, route)) ?? plan.startAt });
  }
  if (taxis.length === 0) {
    log.warn('demo simulator not started: no demo taxi has its demo cameras (a database from an older version? delete ./data to start afresh)');
    return null;
  }
  log.info('demo simulator driving', { taxis: taxis.length, cameras: taxis.reduce((n, t) => n + (t.cameras?.length ?? 0), 0), dataDir: dir });
  return taxis;
}

/** After a restart a taxi carries on from its last position, if that lies on its route: no jump across town. */
async function whereItLeftOff(platform: Platform, vehicleId: string, route: Track): Promise<number | null> {
  const last = await platform.db.kysely.selectFrom('gps_fixes').select(['latitude', 'longitude']).where('vehicle_id', '=', vehicleId).orderBy('device_time', 'desc').limit(1).executeTakeFirst();
  return last ? cyclePointNear(route, { lat: last.latitude, lon: last.longitude }) : null;
}

/**
 * A demo camera's derived key gets a fresh 90-day life at each start. Otherwise, in its last 14 days the server would
 * hand the simulator a next key (automatic rotation), which a later start could not derive again: that taxi would
 * stop driving. Only the demo's own derived keys are touched (a renewed or revoked key no longer matches).
 */
async function keepDemoKeyFresh(platform: Platform, deviceId: string): Promise<void> {
  const now = platform.clock.now();
  await platform.db.kysely
    .updateTable('devices')
    .set({ key_expires_at: new Date(now + DEVICE_KEY_LIFETIME_DAYS * 86_400_000) })
    .where('id', '=', deviceId)
    .where('key_expires_at', '<', new Date(now + 30 * 86_400_000))
    .execute();
}
