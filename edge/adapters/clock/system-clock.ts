/** The real wall clock. */
import type { Clock } from '../../ports/clock.ts';

export function createSystemClock(): Clock {
  return { now: () => Date.now() };
}
