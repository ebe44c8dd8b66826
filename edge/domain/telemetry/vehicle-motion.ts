/**
 * Moving or stopped, from the speed, with hysteresis: a taxi crawling in traffic around the threshold would
 * otherwise flap between the two on every fix. (Offline is decided elsewhere, from the time since the last report.)
 */
import type { FixStepContext, MotionChange } from './telemetry-types.ts';

export function vehicleMotion({ fix, state, settings }: FixStepContext, changed: (change: MotionChange) => void): void {
  const next = fix.speed >= settings.movingSpeedKmh ? 'moving' : fix.speed < settings.movingSpeedKmh / 2 ? 'stopped' : (state.motion ?? 'stopped');
  if (next !== state.motion) {
    state.motion = next;
    changed({ status: next, at: fix.at });
  }
}
