/**
 * What the analyse-frame job reads and writes: the frame with its fleet's language, the vehicle's recent signals
 * (the window and the driver's baseline), a telemetry event just before the frame, the stored result — written
 * only over a `pending` frame, so a redelivered job changes nothing twice — and the fleet's daily vision spend.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { fromJson } from '../../db/jsonb.ts';
import type { Database } from '../../db/schema.ts';
import type { CameraRole } from '../devices/camera-role.ts';
import type { CalibrationState } from './calibration.ts';
import { calibrationFrom } from './calibration-store.ts';
import type { FleetModel } from './fleet-model.ts';
import { fleetModelFrom } from './fleet-model-store.ts';
import type { SignalSample } from './signal-window.ts';
import { frameSignalsSchema, visionVerdictSchema, type VisionVerdict } from './vision-verdict.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** How far back a vehicle's frames count: long enough for a baseline, short enough to be the same driver's shift. */
export const HISTORY_MS = 30 * 60_000;
export const HISTORY_FRAMES = 40;
/** A telemetry incident this shortly before a frame makes the frame worth a careful look. */
export const TELEMETRY_CONTEXT_MS = 10_000;

export async function loadFrame(db: Executor, frameId: string) {
  return db
    .selectFrom('frames as fr')
    .innerJoin('fleets as f', 'f.id', 'fr.fleet_id')
    .leftJoin('devices as d', 'd.id', 'fr.device_id')
    .select(['fr.id', 'fr.fleet_id', 'fr.vehicle_id', 'fr.device_id', 'fr.blob_key', 'fr.captured_at', 'fr.received_at', 'fr.priority', 'fr.priority_reason', 'fr.analysis_round', 'fr.width', 'fr.height', 'fr.analysis_status', 'fr.analysis', 'f.locale'])
    // A frame whose device is gone was taken by a driver-facing camera as far as anyone knows (the default role).
    .select(sql<CameraRole>`coalesce(d.camera_role, 'cabin')`.as('camera_role'))
    .where('fr.id', '=', frameId)
    .executeTakeFirst();
}
export type FrameRow = NonNullable<Awaited<ReturnType<typeof loadFrame>>>;

/** The frame-specific facts a judgement needs, all read in one statement (see loadFrameContext). */
export interface FrameContext {
  /** The camera's analysed frames before this one, newest first (see historyQuery). */
  history: (SignalSample & { modelVerdict?: VisionVerdict })[];
  /** "HARSH_BRAKING 3 s before this frame" when telemetry found something on this vehicle just before it. */
  telemetry: string | undefined;
  place: { latitude: number | null; longitude: number | null; speedKmh: number | null; tripId: string | null };
  /** The camera's calibration (a new one when it has none); null for a frame whose device is gone. */
  calibration: CalibrationState | null;
  model: FleetModel | null;
}

/**
 * Everything the analyse-frame job reads about a frame's surroundings, as one statement of subqueries: seven separate
 * reads were seven round trips and seven busy connections per analysed frame, a third of the job's statements (and,
 * on Neon over HTTP, seven requests).
 */
export async function loadFrameContext(db: Executor, frame: Pick<FrameRow, 'id' | 'fleet_id' | 'vehicle_id' | 'device_id' | 'captured_at'>): Promise<FrameContext> {
  const at = frame.captured_at.getTime();
  const row = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(historyQuery(db, frame)).as('history'),
      jsonArrayFrom(telemetryQuery(db, frame)).as('telemetry'),
      jsonObjectFrom(nearestFixQuery(db, frame, 'before')).as('before'),
      jsonObjectFrom(nearestFixQuery(db, frame, 'after')).as('after'),
      tripQuery(db, frame).as('trip_id'),
      frame.device_id ? eb.selectFrom('camera_calibrations').select('state').where('device_id', '=', frame.device_id).as('calibration') : sql<null>`null`.as('calibration'),
      eb.selectFrom('fleet_vision_models').select('model').where('fleet_id', '=', frame.fleet_id).as('model'),
    ])
    .executeTakeFirstOrThrow();
  return {
    history: signalSamples(row.history),
    telemetry: telemetryText(row.telemetry, at),
    place: placeFrom([row.before, row.after], row.trip_id ?? null, at),
    calibration: frame.device_id ? calibrationFrom(row.calibration) : null,
    model: fleetModelFrom(row.model),
  };
}

/**
 * The camera's analysed frames before this one, with the signals they stored (frames without signals are skipped)
 * and, where a model was called for it, that model's verdict. One camera's: a taxi with a cabin and a road camera
 * has two pictures, and only one of them shows the driver.
 */
function historyQuery(db: Executor, frame: Pick<FrameRow, 'id' | 'vehicle_id' | 'device_id' | 'captured_at'>) {
  let query = db
    .selectFrom('frames')
    .select(['captured_at', sql<unknown>`analysis -> 'signals'`.as('signals'), sql<unknown>`CASE WHEN analysis ->> 'model_call' = 'true' THEN analysis -> 'verdict' END`.as('model_verdict')])
    .where('vehicle_id', '=', frame.vehicle_id);
  if (frame.device_id) query = query.where('device_id', '=', frame.device_id);
  return query
    .where('analysis_status', '=', 'done')
    .where('captured_at', '<', frame.captured_at)
    .where('captured_at', '>=', new Date(frame.captured_at.getTime() - HISTORY_MS))
    .where('id', '<>', frame.id)
    .orderBy('captured_at', 'desc')
    .limit(HISTORY_FRAMES);
}

// Inside JSON, a timestamp arrives as its ISO text, whatever the column's type says.
const time = (value: Date | string) => new Date(value).getTime();

function signalSamples(rows: { captured_at: Date | string; signals: unknown; model_verdict: unknown }[]): FrameContext['history'] {
  return rows
    .flatMap((r) => {
      // Stored by this job, but jsonb outlives code versions: a row that no longer parses is left out, not trusted.
      const parsed = frameSignalsSchema.safeParse(fromJson(r.signals));
      if (!parsed.success) return [];
      const verdict = r.model_verdict === null ? null : visionVerdictSchema.safeParse(fromJson(r.model_verdict));
      return [{ capturedAt: time(r.captured_at), signals: parsed.data, ...(verdict?.success ? { modelVerdict: verdict.data } : {}) }];
    })
    .sort((a, b) => b.capturedAt - a.capturedAt);
}

function telemetryQuery(db: Executor, frame: Pick<FrameRow, 'vehicle_id' | 'captured_at'>) {
  return db
    .selectFrom('incidents')
    .select(['type', 'severity', 'occurred_at'])
    .where('vehicle_id', '=', frame.vehicle_id)
    .where('source', '=', 'telemetry')
    .where('occurred_at', '>=', new Date(frame.captured_at.getTime() - TELEMETRY_CONTEXT_MS))
    .where('occurred_at', '<=', frame.captured_at)
    .orderBy('occurred_at', 'desc')
    .limit(3);
}

function telemetryText(events: { type: string; severity: string; occurred_at: Date | string }[], at: number): string | undefined {
  if (events.length === 0) return undefined;
  const parts = [...events].sort((a, b) => time(b.occurred_at) - time(a.occurred_at)).map((e) => `${e.type} (${e.severity}) ${Math.round((at - time(e.occurred_at)) / 1000)} s before this frame`);
  return `Telemetry detected ${parts.join('; ')}. Look carefully for a collision, a distracted or drowsy driver, or a phone in use.`;
}

/** How close in time a GPS fix must be to say where a frame was taken … */
export const POSITION_MAX_GAP_MS = 60_000;
/** … and to say how fast the taxi went then (speed changes faster than place). */
export const SPEED_MAX_GAP_MS = 20_000;

/**
 * Where the vehicle was when the frame was captured (the nearest fix within a minute), how fast it went then (the
 * nearest fix within SPEED_MAX_GAP_MS that reports a speed: the severity policy and calibration need to know whether
 * the taxi moved), and the trip it was on.
 */
function nearestFixQuery(db: Executor, frame: Pick<FrameRow, 'vehicle_id' | 'captured_at'>, direction: 'before' | 'after') {
  const at = frame.captured_at.getTime();
  return db
    .selectFrom('gps_fixes')
    .select(['latitude', 'longitude', 'speed_kmh', 'device_time'])
    .where('vehicle_id', '=', frame.vehicle_id)
    .where('device_time', direction === 'before' ? '<=' : '>', frame.captured_at)
    .where('device_time', direction === 'before' ? '>=' : '<=', new Date(direction === 'before' ? at - POSITION_MAX_GAP_MS : at + POSITION_MAX_GAP_MS))
    .orderBy('device_time', direction === 'before' ? 'desc' : 'asc')
    .limit(1);
}

function tripQuery(db: Executor, frame: Pick<FrameRow, 'vehicle_id' | 'captured_at'>) {
  return db
    .selectFrom('trips')
    .select('id')
    .where('vehicle_id', '=', frame.vehicle_id)
    .where('started_at', '<=', frame.captured_at)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', frame.captured_at)]))
    .orderBy('started_at', 'desc')
    .limit(1);
}

type NearFix = { latitude: number; longitude: number; speed_kmh: number | null; device_time: Date | string } | null;

function placeFrom(fixes: NearFix[], tripId: string | null, at: number): FrameContext['place'] {
  const fix = fixes.filter((f) => f !== null).sort((a, b) => Math.abs(time(a.device_time) - at) - Math.abs(time(b.device_time) - at))[0];
  const speedKmh = fix && fix.speed_kmh !== null && Math.abs(time(fix.device_time) - at) <= SPEED_MAX_GAP_MS ? fix.speed_kmh : null;
  return { latitude: fix?.latitude ?? null, longitude: fix?.longitude ?? null, speedKmh, tripId };
}

/**
 * Sets a still-pending frame's outcome; false when another delivery got there first (nothing was written). Only a
 * routine frame is ever `skipped`: a late telemetry event can make the frame high between the skip's read and this
 * write (frame-reopening.ts), and then the skip must not land.
 */
export async function settleFrame(db: Executor, frameId: string, status: 'done' | 'failed' | 'not_configured' | 'skipped', analysis: unknown, settledAt: Date): Promise<boolean> {
  let query = db
    .updateTable('frames')
    .set({ analysis_status: status, analysis: analysis === null ? null : JSON.stringify(analysis), settled_at: settledAt })
    .where('id', '=', frameId)
    .where('analysis_status', '=', 'pending');
  if (status === 'skipped') query = query.where('priority', '=', 'routine');
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a frame whose analysis gave up (its job is a dead letter being replayed) back to `pending`. */
export async function reopenFrame(db: Executor, frameId: string): Promise<void> {
  await db.updateTable('frames').set({ analysis_status: 'pending', analysis: null, settled_at: null }).where('id', '=', frameId).where('analysis_status', '=', 'failed').execute();
}

/** Merges keys into a frame's stored analysis (e.g. marking its announcement sent). */
export async function patchAnalysis(db: Executor, frameId: string, patch: Record<string, unknown>): Promise<void> {
  await sql`UPDATE frames SET analysis = coalesce(analysis, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb WHERE id = ${frameId}`.execute(db);
}

/** Adds one analysed frame to its fleet's spend for the (UTC) day it was analysed. */
export async function addDailyUsage(db: Executor, fleetId: string, day: Date, usage: { modelCall: boolean; inputTokens: number; outputTokens: number; costUsd: number }): Promise<void> {
  const values = { frames: 1, model_calls: usage.modelCall ? 1 : 0, input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cost_usd: usage.costUsd };
  await db
    .insertInto('vision_usage_daily')
    .values({ fleet_id: fleetId, day: day.toISOString().slice(0, 10), ...values })
    .onConflict((oc) =>
      oc.columns(['fleet_id', 'day']).doUpdateSet({
        frames: sql`vision_usage_daily.frames + 1`,
        model_calls: sql`vision_usage_daily.model_calls + ${values.model_calls}`,
        input_tokens: sql`vision_usage_daily.input_tokens + ${values.input_tokens}`,
        output_tokens: sql`vision_usage_daily.output_tokens + ${values.output_tokens}`,
        cost_usd: sql`vision_usage_daily.cost_usd + ${values.cost_usd}`,
      }),
    )
    .execute();
}
