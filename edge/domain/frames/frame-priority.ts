/**
 * Which frames vision looks at first, and which it lets go (issue 20). Pure rules with explicit times; the I/O that
 * feeds them is in frame-triage.ts. Two cores analyse about six frames a second with the offline analyser while 500
 * taxis send fifty, so a frame that may show something (a moving driver, the seconds after a harsh brake, a frame
 * the device or a reviewer flagged) goes before a routine one, and a routine frame too old to matter is skipped
 * with a recorded reason rather than analysed minutes late.
 */

export type FramePriority = 'high' | 'routine';
export type PriorityReason = 'reviewer' | 'device_trigger' | 'telemetry_event' | 'moving_cabin' | 'routine';
export type SkipReason = 'stale' | 'backlog';

/** Job priorities for the queue (higher runs first). */
export const JOB_PRIORITY: Record<FramePriority, number> = { high: 10, routine: 0 };

/** Faster than this the taxi is moving: a driver who looks away matters. */
export const MOVING_SPEED_KMH = 5;

export interface PriorityInput {
  /** Whether the camera sees the driver (a cabin camera). */
  seesDriver: boolean;
  capturedAt: number;
  /** The vehicle's speed at about the capture time; null when no recent fix says. */
  speedKmh: number | null;
  /** The latest telemetry event (harsh brake, crash…) on the vehicle at or before the capture, if any. */
  lastTelemetryEventAt: number | null;
  /** The device flagged this frame (its own trigger: a button, an accelerometer spike). */
  deviceTrigger: boolean;
  /** A reviewer asked for this frame to be analysed again. */
  reviewerRequest?: boolean;
  /** How long after a telemetry event frames are high priority, in seconds. */
  eventWindowS: number;
}

export function framePriority(input: PriorityInput): { priority: FramePriority; reason: PriorityReason } {
  if (input.reviewerRequest) return { priority: 'high', reason: 'reviewer' };
  if (input.deviceTrigger) return { priority: 'high', reason: 'device_trigger' };
  const sinceEvent = input.lastTelemetryEventAt === null ? null : input.capturedAt - input.lastTelemetryEventAt;
  if (sinceEvent !== null && sinceEvent >= 0 && sinceEvent <= input.eventWindowS * 1000)
    return { priority: 'high', reason: 'telemetry_event' };
  if (input.seesDriver && input.speedKmh !== null && input.speedKmh > MOVING_SPEED_KMH)
    return { priority: 'high', reason: 'moving_cabin' };
  return { priority: 'routine', reason: 'routine' };
}

/** At analysis time: a routine frame received longer ago than `maxAgeS` is skipped as stale; high ones never are. */
export function staleSkip(
  frame: { priority: FramePriority; receivedAt: number },
  now: number,
  maxAgeS: number,
): SkipReason | null {
  if (frame.priority !== 'routine') return null;
  return now - frame.receivedAt > maxAgeS * 1000 ? 'stale' : null;
}

/** At upload: a routine frame is not queued when its fleet already waits on `limit` routine frames. */
export function backlogSkip(priority: FramePriority, pendingRoutine: number, limit: number): SkipReason | null {
  return priority === 'routine' && pendingRoutine >= limit ? 'backlog' : null;
}

/**
 * What the device is told about routine frames: over budget (the backlog at or past its limit), send them at most
 * every `slowIntervalS` seconds; null (the field is left out) otherwise, and the device returns to its own interval.
 */
export function routineFrameInterval(pendingRoutine: number, limit: number, slowIntervalS: number): number | null {
  return pendingRoutine >= limit ? slowIntervalS : null;
}
