/**
 * (a) The raw batched INSERT rate: 100-row INSERTs of gps_fixes rows straight through Kysely, one after another
 * on one connection, with the same columns and the same statement (ON CONFLICT DO NOTHING RETURNING id) the
 * ingest pipeline uses. A fresh fleet and vehicle per measurement, so the table's unique index starts comparable.
 */
import type { Db } from '../../edge/ports/db.ts';
import { provisionFleet } from './provision.ts';

export interface RateResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export async function measureInsertRate(db: Db, options: { rows: number; batch?: number }): Promise<RateResult> {
  const batch = options.batch ?? 100;
  const { fleetId, devices } = await provisionFleet(db, `Insert rate ${Date.now()}`, 1);
  const device = await db.kysely.selectFrom('devices').select('id').where('vehicle_id', '=', devices[0].vehicleId).executeTakeFirstOrThrow();
  const vehicleId = devices[0].vehicleId;
  // Device times one second apart, ending now: unique per vehicle and inside the accepted window.
  const base = Date.now() - options.rows * 1000;
  const rowsFor = (from: number, count: number) => {
    const now = new Date();
    return Array.from({ length: count }, (_, i) => ({
      fleet_id: fleetId,
      vehicle_id: vehicleId,
      device_id: device.id,
      device_time: new Date(base + (from + i) * 1000),
      received_at: now,
      latitude: 40.4 + ((from + i) % 1000) * 1e-5,
      longitude: -3.7 - ((from + i) % 1000) * 1e-5,
      speed_kmh: 42.5,
      heading: 180,
      accuracy_m: 5,
      altitude_m: 650,
    }));
  };
  // One warm-up batch outside the timing (connection set-up, plan cache).
  await db.kysely.insertInto('gps_fixes').values(rowsFor(options.rows, 1)).onConflict((oc) => oc.columns(['vehicle_id', 'device_time']).doNothing()).returning('id').execute();
  const started = performance.now();
  let stored = 0;
  for (let from = 0; from < options.rows; from += batch) {
    const inserted = await db.kysely
      .insertInto('gps_fixes')
      .values(rowsFor(from, Math.min(batch, options.rows - from)))
      .onConflict((oc) => oc.columns(['vehicle_id', 'device_time']).doNothing())
      .returning('id')
      .execute();
    stored += inserted.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (stored !== options.rows) throw new Error(`insert rate: stored ${stored} of ${options.rows} rows`);
  return { rows: stored, seconds, rowsPerSecond: stored / seconds };
}
