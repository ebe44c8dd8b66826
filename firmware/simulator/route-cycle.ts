/**
 * How a virtual taxi goes round its route for as long as it runs: the recorded drive forwards, a rest at the end,
 * the drive backwards, a rest at the start, and again. Every step goes from a recorded point to its neighbour, so
 * the taxi never jumps — not at the turns, not where a run starts. During a rest the unit is switched off (no
 * fixes), the way a taxi parked at a rank with the engine off goes quiet: long enough and its trip ends.
 */
import { distanceM } from '../../edge/domain/telemetry/geo.ts';
import type { Track, TrackPoint } from './track-loader.ts';

export interface RouteStep {
  /** Device-time offset from the start of the run, in ms; strictly increasing. */
  offset: number;
  point: TrackPoint;
}

export interface CycleOptions {
  /** Where in the cycle the run begins, 0 ≤ startAt < 1 (0: the route's start, 0.5: half way round). */
  startAt?: number;
  /** Silence at each end of the route before driving back, ms (0: turn at once). */
  restMs?: number;
}

const MIN_STEP_MS = 1000;

/** The cycle as an endless list of steps. A point where the taxi stops or starts after a rest has speed 0. */
export function* routeCycle(track: Track, options: CycleOptions = {}): Generator<RouteStep> {
  const points = track.points;
  if (points.length < 2) throw new Error(`route ${track.name} needs at least two points`);
  const restMs = options.restMs ?? 0;
  const legMs = (i: number, j: number) => Math.max(MIN_STEP_MS, Math.abs(points[j].t - points[i].t));
  // One cycle is 2 × (n − 1) steps: forwards over indexes 0…n−1, backwards over n−1…0.
  const stepsPerCycle = 2 * (points.length - 1);
  let step = Math.floor(((((options.startAt ?? 0) % 1) + 1) % 1) * stepsPerCycle + 1e-9); // k / steps lands on step k
  const indexAt = (s: number) => (s % stepsPerCycle < points.length - 1 ? s % stepsPerCycle : stepsPerCycle - (s % stepsPerCycle));
  const atEnd = (i: number) => restMs > 0 && (i === 0 || i === points.length - 1);
  let offset = 0;
  for (;;) {
    const i = indexAt(step);
    const j = indexAt(step + 1);
    yield { offset, point: atEnd(i) ? { ...points[i], speedKmh: 0 } : points[i] };
    if (atEnd(j)) {
      // Arrive, stand still for a moment, switch off; after the rest, switch on where it stopped and drive off.
      offset += legMs(i, j);
      yield { offset, point: { ...points[j], speedKmh: 0 } };
      offset += restMs;
    } else offset += legMs(i, j);
    step++;
  }
}

/**
 * Where in the cycle (0–1, on the way out) the route passes closest to `position`, or null when it never comes
 * within `withinM`: a taxi that drove before a restart carries on from where it was instead of jumping elsewhere.
 */
export function cyclePointNear(track: Track, position: { lat: number; lon: number }, withinM = 300): number | null {
  let best = -1;
  let bestM = Infinity;
  track.points.forEach((p, i) => {
    const m = distanceM(p, position);
    if (m < bestM) [best, bestM] = [i, m];
  });
  return bestM <= withinM ? best / (2 * (track.points.length - 1)) : null;
}
