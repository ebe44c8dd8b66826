/**
 * Harsh braking and harsh acceleration from two consecutive fixes: the change of the device-reported speed over
 * the time between them, in m/s². Guards against GPS noise and gaps, because a false harsh event is worse than a
 * missed one (owners stop trusting alerts):
 * - both fixes must carry a reported speed (Doppler); speeds derived from positions jitter by metres per second;
 * - the interval must be short (settings.harshMaxGapSeconds): across a gap the speed change says nothing;
 * - the distance travelled must agree with the two speeds, else one of the fixes is a multipath jump;
 * - fixes with poor accuracy are ignored;
 * - one manoeuvre is one incident: further readings of the same type within COOLDOWN_MS are the same event.
 */
import type { FixStepContext, HarshType } from '../telemetry-types.ts';
import { distanceM } from '../geo.ts';
import { harshText } from './telemetry-text.ts';

const COOLDOWN_MS = 15_000;
const MAX_ACCURACY_M = 50;
const MIN_INTERVAL_MS = 500;
// Consecutive fixes share most of their position error, so their distance is good to a few metres.
const MAX_POSITION_DISAGREEMENT_M = 4;

export function harshDriving({ prev, fix, state, settings, emit }: FixStepContext): void {
  if (!prev || prev.speedKmh === null || fix.speedKmh === null) return;
  const dtMs = fix.at - prev.at;
  if (dtMs < MIN_INTERVAL_MS || dtMs > settings.harshMaxGapSeconds * 1000) return;
  if ((prev.accuracyM ?? 0) > MAX_ACCURACY_M || (fix.accuracyM ?? 0) > MAX_ACCURACY_M) return;
  const dt = dtMs / 1000;
  const expectedM = ((prev.speedKmh + fix.speedKmh) / 2 / 3.6) * dt;
  if (Math.abs(distanceM(prev, fix) - expectedM) > Math.max(MAX_POSITION_DISAGREEMENT_M, expectedM * 0.35)) return;

  const accel = (fix.speedKmh - prev.speedKmh) / 3.6 / dt;
  const check = (type: HarshType, magnitude: number, threshold: number) => {
    if (magnitude < threshold) return;
    const last = state.lastHarsh[type];
    if (last !== undefined && fix.at - last < COOLDOWN_MS && fix.at >= last) return;
    state.lastHarsh[type] = fix.at;
    emit({
      type,
      severity: magnitude >= threshold * 1.5 ? 'HIGH' : 'MEDIUM',
      occurredAt: fix.at,
      lat: fix.lat,
      lon: fix.lon,
      description: harshText(settings.language, type, prev.speedKmh!, fix.speedKmh!, dt, magnitude),
    });
  };
  check('HARSH_BRAKING', -accel, settings.harshBrakingMs2);
  check('HARSH_ACCELERATION', accel, settings.harshAccelerationMs2);
}
