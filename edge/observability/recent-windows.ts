/**
 * Figures over the last few minutes for the admin console, in fixed memory: a ring of per-slot counts (ingest rate)
 * and a ring of per-slot histograms (latency percentiles). Prometheus computes the same from the cumulative
 * counters with rate() and histogram_quantile(); these exist so the console works without a Prometheus server.
 */
import type { Clock } from '../ports/clock.ts';
import { bucketIndex } from './metrics.ts';

interface Ring<T> {
  /** The slot for now, emptied first if it last held an older period. */
  current(): T;
  /** The slots whose period lies within the window, in no particular order. */
  live(): T[];
}

function createRing<T>(clock: Clock, slotMs: number, slots: number, empty: () => T, reset: (cell: T) => void): Ring<T> {
  const cells = Array.from({ length: slots }, empty);
  const periods = new Array<number>(slots).fill(-Infinity);
  const periodNow = () => Math.floor(clock.now() / slotMs);
  return {
    current() {
      const period = periodNow();
      const i = ((period % slots) + slots) % slots;
      if (periods[i] !== period) {
        reset(cells[i]);
        periods[i] = period;
      }
      return cells[i];
    },
    live() {
      const period = periodNow();
      return cells.filter((_, i) => periods[i] > period - slots && periods[i] <= period);
    },
  };
}

export interface RateWindow {
  add(n: number): void;
  /** Events per second averaged over the whole window (the current, partial second included). */
  perSecond(): number;
  total(): number;
}

export function createRateWindow(clock: Clock, seconds = 60): RateWindow {
  const ring = createRing(clock, 1000, seconds, () => ({ n: 0 }), (cell) => (cell.n = 0));
  const total = () => ring.live().reduce((sum, cell) => sum + cell.n, 0);
  return {
    add: (n) => void (ring.current().n += n),
    total,
    perSecond: () => total() / seconds,
  };
}

export interface LatencyWindow {
  observe(seconds: number): void;
  /** Estimated quantiles in seconds over the window; null when nothing was observed. */
  quantiles(qs: number[]): { count: number; values: (number | null)[] };
}

/** Histogram slots of `slotMs` over `windowMs`: a percentile is estimated within its bucket, like histogram_quantile. */
export function createLatencyWindow(clock: Clock, bounds: readonly number[], windowMs = 5 * 60_000, slotMs = 10_000): LatencyWindow {
  const ring = createRing(clock, slotMs, Math.ceil(windowMs / slotMs), () => new Array<number>(bounds.length + 1).fill(0), (cell) => cell.fill(0));
  return {
    observe: (seconds) => void (ring.current()[bucketIndex(bounds, seconds)] += 1),
    quantiles(qs) {
      const counts = new Array<number>(bounds.length + 1).fill(0);
      for (const cell of ring.live()) cell.forEach((n, i) => (counts[i] += n));
      const count = counts.reduce((a, b) => a + b, 0);
      return { count, values: qs.map((q) => estimateQuantile(bounds, counts, q)) };
    },
  };
}

/**
 * The q-quantile of per-bucket counts (last cell: above the last bound), interpolating linearly inside the bucket
 * that holds it, as Prometheus' histogram_quantile does; a quantile beyond the last bound is reported as that bound.
 */
export function estimateQuantile(bounds: readonly number[], counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && below + counts[i] >= rank) {
      if (i === bounds.length) return bounds[bounds.length - 1];
      const lower = i === 0 ? 0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - below) / counts[i]);
    }
    below += counts[i];
  }
  return bounds[bounds.length - 1];
}
