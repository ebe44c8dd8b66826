/**
 * Each camera's calibration, kept per device (camera_calibrations): read before a frame is judged, stepped and
 * written in the frame's own transaction, under the row's lock so two frames of one camera analysed at once cannot
 * both append to the same old state.
 */
import type { Kysely, Transaction } from 'kysely';
import { fromJson } from '../../db/jsonb.ts';
import type { Database } from '../../db/schema.ts';
import { calibrate, NEW_CALIBRATION, type CalibrationEvent, type CalibrationFrame, type CalibrationState } from './calibration.ts';
import type { VisionRules } from './vision-rules.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A camera's calibration from its stored state, or a new one when it has none (no row yet). */
export const calibrationFrom = (state: unknown): CalibrationState => (state === null || state === undefined ? NEW_CALIBRATION : fromJson<CalibrationState>(state));

export async function loadCalibration(db: Executor, deviceId: string): Promise<CalibrationState> {
  const row = await db.selectFrom('camera_calibrations').select('state').where('device_id', '=', deviceId).executeTakeFirst();
  return calibrationFrom(row?.state);
}

/** Steps the device's calibration with one more frame and stores it; says whether it just learned or must learn again. */
export async function stepCalibration(
  tx: Transaction<Database>,
  device: { deviceId: string; fleetId: string },
  frame: CalibrationFrame,
  now: Date,
  rules?: VisionRules,
): Promise<{ state: CalibrationState; event: CalibrationEvent }> {
  const row = await tx.selectFrom('camera_calibrations').select(['state', 'learned_at']).where('device_id', '=', device.deviceId).forUpdate().executeTakeFirst();
  const before = calibrationFrom(row?.state);
  const { state, event } = calibrate(before, frame, rules);
  if (state === before) return { state, event };
  const learnedAt = event === 'learned' ? now : state.status === 'ready' ? (row?.learned_at ?? now) : null;
  const values = { status: state.status, state: JSON.stringify(state), learned_at: learnedAt, updated_at: now };
  await tx
    .insertInto('camera_calibrations')
    .values({ device_id: device.deviceId, fleet_id: device.fleetId, ...values })
    .onConflict((oc) => oc.column('device_id').doUpdateSet(values))
    .execute();
  return { state, event };
}

/** Starts the device's calibration over (its camera role or mounting changed). */
export async function resetCalibration(db: Executor, deviceId: string): Promise<void> {
  await db.deleteFrom('camera_calibrations').where('device_id', '=', deviceId).execute();
}

/** How far each camera of a fleet is: ready, or how many calibration frames it has of how many it needs. */
export async function calibrationSummaries(db: Executor, deviceIds: string[]): Promise<Map<string, { status: 'calibrating' | 'ready'; samples: number; learned_at: string | null }>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db.selectFrom('camera_calibrations').select(['device_id', 'status', 'state', 'learned_at']).where('device_id', 'in', deviceIds).execute();
  return new Map(rows.map((r) => [r.device_id, { status: r.status, samples: fromJson<CalibrationState>(r.state).samples.length, learned_at: r.learned_at?.toISOString() ?? null }]));
}
