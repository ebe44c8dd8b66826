/**
 * A possible collision (ACCIDENT candidate, CRITICAL) from speeds alone, because a road camera cannot judge a
 * collision from one still: either an impact-like drop — a deceleration no brakes give (IMPACT_MS2, about 1 g) — or
 * a severe deceleration (the fleet's harsh-braking threshold × SEVERE_FACTOR) followed by a standstill within
 * STOP_WITHIN_MS: motion that ends abruptly, where an emergency stop slows down to the end. Like the harsh-driving rule it trusts only
 * device-reported speeds over short intervals with good accuracy and a distance that agrees with them, since a
 * false crash alarm is the worst false alarm there is. One event is one candidate (COOLDOWN_MS). The frames around
 * it (±10 s) are its evidence; a cloud model, when one is configured, is asked to confirm (domain/vision/confirm-accident.ts).
 */
import { distanceM } from '../geo.ts';
import type { FixStepContext } from '../telemetry-types.ts';
import { collisionText } from './telemetry-text.ts';

/** Above any braking a tyre gives on a road: the car hit something. */
export const IMPACT_MS2 = 9;
/** A severe deceleration is this many times the harsh-braking threshold … */
export const SEVERE_FACTOR = 1.5;
/** … and a candidate when the taxi then stands still within this time … */
export const STOP_WITHIN_MS = 5_000;
/** … slower than this … */
const STOPPED_KMH = 3;
/** … having been at least this fast (a harsh stop at walking pace is parking, not a crash). */
const MIN_FROM_KMH = 25;
const COOLDOWN_MS = 60_000;
const MAX_ACCURACY_M = 50;
const MIN_INTERVAL_MS = 500;
const MAX_POSITION_DISAGREEMENT_M = 4;

export function collision({ prev, fix, state, settings, emit }: FixStepContext): void {
  const pending = state.collision ?? null;
  const emitCandidate = (at: number, lat: number, lon: number, fromKmh: number, toKmh: number, peakMs2: number, stopped: boolean) => {
    if (state.lastCollision !== undefined && at - state.lastCollision < COOLDOWN_MS && at >= state.lastCollision) return;
    state.lastCollision = at;
    state.collision = null;
    emit({ type: 'ACCIDENT', severity: 'CRITICAL', occurredAt: at, lat, lon, description: collisionText(settings.language, fromKmh, toKmh, peakMs2, stopped) });
  };

  // A harsh deceleration seen before: the taxi stopping soon after makes it a candidate; driving on clears it.
  if (pending) {
    if (fix.at - pending.at > STOP_WITHIN_MS) state.collision = null;
    else if (fix.speedKmh !== null && fix.speedKmh < STOPPED_KMH) return emitCandidate(pending.at, pending.lat, pending.lon, pending.fromKmh, fix.speedKmh, pending.peakMs2, true);
  }

  if (!prev || prev.speedKmh === null || fix.speedKmh === null) return;
  const dtMs = fix.at - prev.at;
  if (dtMs < MIN_INTERVAL_MS || dtMs > settings.harshMaxGapSeconds * 1000) return;
  if ((prev.accuracyM ?? 0) > MAX_ACCURACY_M || (fix.accuracyM ?? 0) > MAX_ACCURACY_M) return;
  const dt = dtMs / 1000;
  const expectedM = ((prev.speedKmh + fix.speedKmh) / 2 / 3.6) * dt;
  if (Math.abs(distanceM(prev, fix) - expectedM) > Math.max(MAX_POSITION_DISAGREEMENT_M, expectedM * 0.35)) return;
  if (prev.speedKmh < MIN_FROM_KMH) return;

  const deceleration = (prev.speedKmh - fix.speedKmh) / 3.6 / dt;
  if (deceleration <= 0) return;
  if (deceleration >= IMPACT_MS2) return emitCandidate(fix.at, fix.lat, fix.lon, prev.speedKmh, fix.speedKmh, deceleration, fix.speedKmh < STOPPED_KMH);
  if (deceleration >= settings.harshBrakingMs2 * SEVERE_FACTOR) {
    if (fix.speedKmh < STOPPED_KMH) return emitCandidate(fix.at, fix.lat, fix.lon, prev.speedKmh, fix.speedKmh, deceleration, true);
    // Not standing yet: a candidate if the next fixes show it standing within STOP_WITHIN_MS.
    if (!pending || deceleration > pending.peakMs2) state.collision = { at: fix.at, lat: fix.lat, lon: fix.lon, fromKmh: Math.max(prev.speedKmh, pending?.fromKmh ?? 0), peakMs2: deceleration };
  }
}
