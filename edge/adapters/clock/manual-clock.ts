/** A clock that only moves when told to: tests use it to fire cron schedules and backoffs deterministically. */
import type { Clock } from '../../ports/clock.ts';

export interface ManualClock extends Clock {
  set(ms: number | Date | string): void;
  advance(ms: number): void;
}

export function createManualClock(start: number | Date | string = '2026-01-01T00:00:00Z'): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => current,
    set: (ms) => {
      current = new Date(ms).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
