/**
 * Triage of a stored frame, after the device has its answer: what the priority rules (frame-priority.ts) need is
 * looked up (the camera's role, the taxi's latest speed, a telemetry event just before), the frame's priority is
 * recorded, and the frame is queued at that priority — or, for a routine frame of a fleet whose routine backlog is
 * full, settled as `skipped` (reason `backlog`) and not queued at all.
 * Also the device's side of the budget: how often a fleet over its backlog should send routine frames.
 */
import { recordVisionSkip } from '../../observability/app-metrics.ts';
import type { Platform } from '../../platform.ts';
import type { FramePriorityReason } from '../../db/schema.ts';
import type { EnqueueResult } from '../../ports/queue.ts';
import { seesDriver } from '../devices/camera-role.ts';
import { SPEED_MAX_GAP_MS, settleFrame } from '../vision/frame-analysis-store.ts';
import {
  backlogSkip,
  framePriority,
  JOB_PRIORITY,
  routineFrameInterval,
  type FramePriority,
  type PriorityReason,
} from './frame-priority.ts';

export const ANALYSE_FRAME_JOB = 'analyse-frame';
/** Round 0 is the upload's analysis; each reopening (frame-reopening.ts) is a round of its own, queued once. */
export const analyseFrameDedupeId = (frameId: string, round = 0) => (round === 0 ? `${ANALYSE_FRAME_JOB}:${frameId}` : `${ANALYSE_FRAME_JOB}:${frameId}:${round}`);
/** The job marks its frame `failed` on the last attempt, so it must know which attempt that is. */
export const ANALYSE_FRAME_MAX_ATTEMPTS = 5;

export interface TriageFrame {
  id: string;
  fleetId: string;
  vehicleId: string;
  deviceId: string;
  capturedAt: Date;
  deviceTrigger: boolean;
}

export type TriageOutcome = { priority: FramePriority; reason: PriorityReason; queued: boolean };

export async function triageFrame(platform: Platform, frame: TriageFrame): Promise<TriageOutcome> {
  const db = platform.db.kysely;
  const at = frame.capturedAt.getTime();
  const windowMs = platform.config.VISION_EVENT_WINDOW_S * 1000;
  // One round trip for the four facts (at thousands of taxis, statements per frame are what ingest pays for); the
  // backlog count rides along even when the frame turns out high, which costs Postgres less than a second trip.
  const facts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('devices').select('camera_role').where('id', '=', frame.deviceId).as('camera_role'),
      // Fixes arrive in batches, often after the frame: the latest one shortly before it says whether the taxi moves.
      eb
        .selectFrom('gps_fixes')
        .select('speed_kmh')
        .where('vehicle_id', '=', frame.vehicleId)
        .where('device_time', '<=', frame.capturedAt)
        .where('device_time', '>=', new Date(at - SPEED_MAX_GAP_MS))
        .orderBy('device_time', 'desc')
        .limit(1)
        .as('speed_kmh'),
      eb
        .selectFrom('incidents')
        .select('occurred_at')
        .where('vehicle_id', '=', frame.vehicleId)
        .where('source', '=', 'telemetry')
        .where('occurred_at', '<=', frame.capturedAt)
        .where('occurred_at', '>=', new Date(at - windowMs))
        .orderBy('occurred_at', 'desc')
        .limit(1)
        .as('event_at'),
      pendingRoutineQuery(platform, frame.fleetId, frame.id).as('pending_routine'),
    ])
    .executeTakeFirstOrThrow();
  const decided = framePriority({
    seesDriver: seesDriver(facts.camera_role ?? 'cabin'),
    capturedAt: at,
    speedKmh: facts.speed_kmh ?? null,
    lastTelemetryEventAt: facts.event_at === null ? null : new Date(facts.event_at).getTime(),
    deviceTrigger: frame.deviceTrigger,
    eventWindowS: platform.config.VISION_EVENT_WINDOW_S,
  });
  if (decided.priority === 'high') {
    await db.updateTable('frames').set({ priority: 'high', priority_reason: decided.reason as FramePriorityReason }).where('id', '=', frame.id).execute();
  } else {
    const skip = backlogSkip('routine', Number(facts.pending_routine ?? 0), platform.config.VISION_ROUTINE_BACKLOG);
    // Not written when a late telemetry event made the frame high meanwhile: its own job is queued, so is this one.
    const skipped =
      skip &&
      (await settleFrame(
        db,
        frame.id,
        'skipped',
        { skipped_reason: skip, skipped_at: new Date(platform.clock.now()).toISOString() },
        new Date(platform.clock.now()),
      ));
    if (skip && skipped) {
      recordVisionSkip(platform, skip);
      return { ...decided, queued: false };
    }
  }
  await enqueueAnalysis(platform, frame.id, decided.priority);
  return { ...decided, queued: true };
}

/**
 * Queues the frame's analysis for its round (0: the upload's); the dedupe id makes any repeat (retries, the requeue
 * sweep, a double click) a no-op.
 */
export function enqueueAnalysis(
  platform: Platform,
  frameId: string,
  priority: FramePriority = 'routine',
  round = 0,
): Promise<EnqueueResult> {
  return platform.queue.enqueue(
    ANALYSE_FRAME_JOB,
    { frameId },
    {
      dedupeId: analyseFrameDedupeId(frameId, round),
      maxAttempts: ANALYSE_FRAME_MAX_ATTEMPTS,
      priority: JOB_PRIORITY[priority],
    },
  );
}

/** Routine frames the fleet's vision still owes (a count on frames_pending_routine_idx), other than `exceptId`. */
export async function pendingRoutine(platform: Platform, fleetId: string, exceptId?: string): Promise<number> {
  const row = await pendingRoutineQuery(platform, fleetId, exceptId).executeTakeFirstOrThrow();
  return Number(row.n);
}

function pendingRoutineQuery(platform: Platform, fleetId: string, exceptId?: string) {
  const query = platform.db.kysely
    .selectFrom('frames')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('fleet_id', '=', fleetId)
    .where('analysis_status', '=', 'pending')
    .where('priority', '=', 'routine');
  return exceptId ? query.where('id', '<>', exceptId) : query;
}

// Device answers come many times a second per fleet; the backlog moves slowly, so each process counts it at most
// once per BUDGET_TTL_MS per fleet. Keyed by platform so tests with their own platform never share a figure.
const BUDGET_TTL_MS = 5_000;
const budgetMemo = new WeakMap<Platform, Map<string, { at: number; interval: number | null }>>();

/** `routine_frame_interval_s` for the fleet's device answers: a number when over budget, null otherwise. */
export async function routineIntervalFor(platform: Platform, fleetId: string): Promise<number | null> {
  let memo = budgetMemo.get(platform);
  if (!memo) budgetMemo.set(platform, (memo = new Map()));
  const now = platform.clock.now();
  const cached = memo.get(fleetId);
  if (cached && now - cached.at < BUDGET_TTL_MS && now >= cached.at) return cached.interval;
  const interval = routineFrameInterval(
    await pendingRoutine(platform, fleetId),
    platform.config.VISION_ROUTINE_BACKLOG,
    platform.config.VISION_SLOW_ROUTINE_INTERVAL_S,
  );
  memo.set(fleetId, { at: now, interval });
  return interval;
}
