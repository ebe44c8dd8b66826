/**
 * The device's side of vision back-pressure (docs/integrate/device-protocol.md, "Routine frame interval"): a 2xx
 * answer with `routine_frame_interval_s` stretches the routine frame interval to at least that many seconds; a 2xx
 * answer without it, or five minutes without hearing it again, returns the unit to its own interval. The ESP32 core
 * does the same (firmware/core/src/routine-interval.h).
 */
export const ADVICE_HOLD_MS = 5 * 60_000;
const MAX_ADVISED_S = 3600;

export interface RoutineInterval {
  /** Reads a 2xx answer body received at device time `at` (ms). */
  note(body: unknown, at: number): void;
  /** The routine frame interval in seconds at device time `at`. */
  seconds(at: number): number;
}

export function createRoutineInterval(ownSeconds: number): RoutineInterval {
  let advised: { seconds: number; until: number } | null = null;
  return {
    note(body, at) {
      const value =
        body && typeof body === 'object'
          ? (body as { routine_frame_interval_s?: unknown }).routine_frame_interval_s
          : undefined;
      // Anything but a sensible number is ignored rather than trusted: a unit must never stop sending frames.
      if (typeof value === 'number' && Number.isFinite(value) && value > 0)
        advised = { seconds: Math.min(value, MAX_ADVISED_S), until: at + ADVICE_HOLD_MS };
      else if (value === undefined) advised = null;
    },
    seconds(at) {
      if (advised && at >= advised.until) advised = null;
      return advised ? Math.max(ownSeconds, advised.seconds) : ownSeconds;
    },
  };
}
