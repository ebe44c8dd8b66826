/**
 * Triage of a stored frame, after the device has its answer: what the priority rules (frame-priority.ts) need is
 * looked up (the camera's role, the taxi's latest speed, a telemetry event just before), the frame's priority is
 * recorded, and the frame is queued at that priority — or, for a routine frame of a fleet whose routine backlog is
 * full, settled as `skipped` (reason `backlog`) and not queued at all.
 * Also the device's side of the budget: how often a fleet over its backlog should send routine frames.
 */
import { prepared } from '../../db/prepared.ts';
import { recordVisionSkip } from '../../observability/app-metrics.ts';
import type { Platform } from '../../platform.ts';
import type { FramePriorityReason } from '../../db/schema.ts';
import type { EnqueueResult } from '../../ports/queue.ts';
import { seesDriver, type CameraRole } from '../devices/camera-role.ts';
import { allDone, createGroupedCalls, perOwner } from '../grouped-calls.ts';
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
  const grouped = groupedTriage(platform);
  const facts = await grouped.facts(frame);
  const decided = framePriority({
    seesDriver: seesDriver(facts.camera_role ?? 'cabin'),
    capturedAt: at,
    speedKmh: facts.speed_kmh ?? null,
    lastTelemetryEventAt: facts.event_at === null ? null : new Date(facts.event_at).getTime(),
    deviceTrigger: frame.deviceTrigger,
    eventWindowS: platform.config.VISION_EVENT_WINDOW_S,
  });
  if (decided.priority === 'high') {
    await grouped.markHigh({ frameId: frame.id, reason: decided.reason as FramePriorityReason });
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

interface TriageFacts {
  camera_role: CameraRole | null;
  speed_kmh: number | null;
  event_at: Date | string | null;
  pending_routine: number | string | null;
}

/**
 * What the priority rules need, for the frames that arrive together, in one statement (at thousands of taxis,
 * statements per frame are what ingest pays for; the backlog count rides along even when a frame turns out high,
 * which costs Postgres less than a second trip).
 */
export async function readTriageFacts(platform: Platform, frames: TriageFrame[]): Promise<TriageFacts[]> {
  const windowMs = platform.config.VISION_EVENT_WINDOW_S * 1000;
  const iso = (at: number) => new Date(at).toISOString();
  // Prepared (db/prepared.ts): the frames go in as arrays, so the text is the same for any number of them.
  const { rows } = await prepared<TriageFacts & { i: number }>`
    SELECT w.i,
      (SELECT camera_role FROM devices WHERE id = w.device_id) AS camera_role,
      -- Fixes arrive in batches, often after the frame: the latest one shortly before it says whether the taxi moves.
      (SELECT speed_kmh FROM gps_fixes
        WHERE vehicle_id = w.vehicle_id AND device_time <= w.captured_at AND device_time >= w.speed_since
        ORDER BY device_time DESC LIMIT 1) AS speed_kmh,
      (SELECT occurred_at FROM incidents
        WHERE vehicle_id = w.vehicle_id AND source = 'telemetry' AND occurred_at <= w.captured_at AND occurred_at >= w.event_since
        ORDER BY occurred_at DESC LIMIT 1) AS event_at,
      (SELECT count(*) FROM frames
        WHERE fleet_id = w.fleet_id AND analysis_status = 'pending' AND priority = 'routine' AND id <> w.frame_id) AS pending_routine
    FROM unnest(${frames.map((_, i) => i)}::int[], ${frames.map((f) => f.id)}::text[], ${frames.map((f) => f.deviceId)}::text[], ${frames.map((f) => f.vehicleId)}::text[],
      ${frames.map((f) => f.fleetId)}::text[], ${frames.map((f) => iso(f.capturedAt.getTime()))}::timestamptz[], ${frames.map((f) => iso(f.capturedAt.getTime() - SPEED_MAX_GAP_MS))}::timestamptz[],
      ${frames.map((f) => iso(f.capturedAt.getTime() - windowMs))}::timestamptz[]) AS w(i, frame_id, device_id, vehicle_id, fleet_id, captured_at, speed_since, event_since)`.execute(platform.db.kysely);
  const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
  return frames.map((_, i) => byIndex.get(i)!);
}

/** Records the frames' high priority, one statement per reason. */
export async function markFramesHigh(platform: Platform, marks: { frameId: string; reason: FramePriorityReason }[]): Promise<void> {
  for (const reason of new Set(marks.map((m) => m.reason))) {
    const ids = marks.filter((m) => m.reason === reason).map((m) => m.frameId);
    await prepared`UPDATE frames SET priority = 'high', priority_reason = ${reason} WHERE id = ANY(${ids}::text[])`.execute(platform.db.kysely);
  }
}

const groupedTriage = perOwner((platform: Platform) => ({
  facts: createGroupedCalls((frames: TriageFrame[]) => readTriageFacts(platform, frames), { key: (f) => f.id, maxRunning: 2, maxGroup: 200 }),
  markHigh: createGroupedCalls(
    allDone((marks: { frameId: string; reason: FramePriorityReason }[]) => markFramesHigh(platform, marks)),
    { key: (m) => m.frameId, maxRunning: 2, maxGroup: 500 },
  ),
}));

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
// once per BUDGET_TTL_MS per fleet. The count in flight is shared too: under load, the answers that arrive while it
// runs would otherwise each start one of their own. Keyed by platform so tests with their own platform never share a figure.
const BUDGET_TTL_MS = 5_000;
const budgetMemo = new WeakMap<Platform, Map<string, { at: number; interval: Promise<number | null> }>>();

/** `routine_frame_interval_s` for the fleet's device answers: a number when over budget, null otherwise. */
export function routineIntervalFor(platform: Platform, fleetId: string): Promise<number | null> {
  let memo = budgetMemo.get(platform);
  if (!memo) budgetMemo.set(platform, (memo = new Map()));
  const now = platform.clock.now();
  const cached = memo.get(fleetId);
  if (cached && now - cached.at < BUDGET_TTL_MS && now >= cached.at) return cached.interval;
  const entry = {
    at: now,
    interval: pendingRoutine(platform, fleetId).then((pending) =>
      routineFrameInterval(pending, platform.config.VISION_ROUTINE_BACKLOG, platform.config.VISION_SLOW_ROUTINE_INTERVAL_S),
    ),
  };
  memo.set(fleetId, entry);
  // A failed count is not remembered: the next answer asks again.
  entry.interval.catch(() => {
    if (memo.get(fleetId) === entry) memo.delete(fleetId);
  });
  return entry.interval;
}
