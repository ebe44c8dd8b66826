/**
 * A fleet with a day worth reporting on (Madrid, 2026-05-31): two taxis that drove recorded routes, drivers with
 * trips, incidents of several types on that day and the week before, a device whose key expires soon and one that
 * went quiet, a licence about to expire, and vision spend.
 */
import { createDevice, createDriver, createFleet, createVehicle } from '../../edge/domain/provisioning.ts';
import { loadTracks } from '../../firmware/simulator/track-loader.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import type { TestPlatform } from './test-platform.ts';

export const REPORT_DAY = '2026-05-31';
/** 08:00 in Madrid on the report day. */
const MORNING = Date.parse('2026-05-31T06:00:00Z');

export interface ReportFixture {
  fleetId: string;
  vehicles: string[];
  drivers: string[];
  plates: string[];
  driverNames: string[];
}

export async function seedReportFleet(platform: TestPlatform, options: { name?: string; timezone?: string; locale?: 'es' | 'en' } = {}): Promise<ReportFixture> {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  const created = platform.clock.now();
  // The fleet existed the whole week before: averages have seven days to work with.
  platform.clock.set('2026-05-01T00:00:00Z');
  const fleet = await createFleet(deps, { name: options.name ?? 'Radio Taxi Ñandú', timezone: options.timezone ?? 'Europe/Madrid', locale: options.locale ?? 'es' });
  platform.clock.set(created);
  const plates = ['1234-ABC', '5678-DEF'];
  const vehicles: string[] = [];
  for (const plate of plates) vehicles.push((await createVehicle(deps, { fleetId: fleet.id, plate })).id);
  const driverNames = ['Ana Ruiz', 'José Núñez', 'Lucía Gómez'];
  const drivers: string[] = [];
  for (const [i, name] of driverNames.entries()) drivers.push((await createDriver(deps, { fleetId: fleet.id, name, licenceExpiresOn: i === 2 ? '2026-06-20' : '2028-01-01' })).id);
  const keySoon = await createDevice(deps, { vehicleId: vehicles[0], name: 'cam-front' });
  await db.updateTable('devices').set({ key_expires_at: new Date(created + 10 * 86_400_000), last_seen_at: new Date(created - 60_000) }).where('id', '=', keySoon.id).execute();
  await createDevice(deps, { vehicleId: vehicles[1], name: 'cam-quiet' }); // never seen: offline

  const tracks = loadTracks(sharedDataDir()).filter((t) => t.name.startsWith('barefoot_munich'));
  for (const [i, vehicleId] of vehicles.entries()) {
    const track = tracks[i % tracks.length];
    const start = MORNING + i * 3 * 3_600_000;
    await db
      .insertInto('gps_fixes')
      .values(track.points.filter((_, j) => j % 5 === 0).map((p) => ({ fleet_id: fleet.id, vehicle_id: vehicleId, device_id: null, device_time: new Date(start + p.t), received_at: new Date(start + p.t), latitude: p.lat, longitude: p.lon, speed_kmh: p.speedKmh, heading: null, accuracy_m: null, altitude_m: null })))
      .execute();
  }
  const trip = async (vehicle: number, driver: number, hour: number, km: number) =>
    db.insertInto('trips').values({ id: platform.ids.next(), fleet_id: fleet.id, vehicle_id: vehicles[vehicle], driver_id: drivers[driver], started_at: new Date(MORNING + hour * 3_600_000), ended_at: new Date(MORNING + hour * 3_600_000 + 1_800_000), distance_m: km * 1000, duration_s: 1800, max_speed_kmh: 70, avg_speed_kmh: 30 }).execute();
  await trip(0, 0, 0, 42.5);
  await trip(0, 0, 2, 20);
  await trip(1, 1, 3, 31.25);
  await trip(1, 2, 6, 12);
  await trip(0, 0, -26, 50); // the day before
  const incident = async (type: string, severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL', at: number, driver: number | null, vehicle = 0) =>
    db
      .insertInto('incidents')
      .values({ id: platform.ids.next(), fleet_id: fleet.id, vehicle_id: vehicles[vehicle], driver_id: driver === null ? null : drivers[driver], trip_id: null, frame_id: null, type, severity, confidence: 0.9, description: `${type} test`, source: 'telemetry', latitude: 48.137, longitude: 11.575, occurred_at: new Date(at), last_seen_at: new Date(at + 60_000), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: new Date(at) })
      .execute();
  await incident('HARSH_BRAKING', 'MEDIUM', MORNING + 600_000, 0);
  await incident('HARSH_BRAKING', 'MEDIUM', MORNING + 1_200_000, 0);
  await incident('SPEEDING', 'HIGH', MORNING + 3 * 3_600_000, 1, 1);
  await incident('PHONE_USAGE', 'CRITICAL', MORNING + 6 * 3_600_000, 2, 1);
  await incident('IDLING', 'LOW', MORNING + 7 * 3_600_000, null, 1);
  for (let d = 1; d <= 7; d++) await incident('HARSH_BRAKING', 'MEDIUM', MORNING - d * 86_400_000, 0);
  await db.insertInto('vision_usage_daily').values([{ fleet_id: fleet.id, day: REPORT_DAY, frames: 1200, model_calls: 40, input_tokens: 1000, output_tokens: 100, cost_usd: 0.42 }]).execute();
  return { fleetId: fleet.id, vehicles, drivers, plates, driverNames };
}
