/**
 * A short reorder window for a vehicle's batches that arrive out of order. A batch that starts after a gap in an
 * otherwise dense series of fixes (ten fixes a second apart, then eleven seconds of nothing before them) most likely
 * overtook the batch that fills the gap: a request delayed by a dropped connection, a retry sent newest first. Its
 * telemetry waits, up to a few seconds, for an earlier batch of the same vehicle to go first. Applied in device-time
 * order, both continue the stored state; applied as they came, the earlier one is late and the vehicle's trip is
 * recomputed from its start (apply-telemetry.ts), which under overload is the work that keeps a server behind.
 *
 * Only the after-answer work waits (fix-pipeline.ts): a device's answer never does. In one process: a batch that
 * lands on another instance does not wake the waiter, which then goes ahead when its wait ends, as without a window.
 */

/** The window: how long a batch after a gap waits for the batch before it. */
export const REORDER_WAIT_MS = 4000;

/** A gap is this many times the batch's own spacing between fixes, and at least this long. */
const GAP_FACTOR = 2.5;
const MIN_GAP_MS = 2000;
/** Longer gaps are outages (a tunnel, a unit switched off), not a batch in flight: waiting would only delay alerts. */
const MAX_GAP_MS = 30_000;

/**
 * Whether the batch (its fixes' device times) starts after a gap in a dense series: the previous stored fix is
 * `previousAt`, and the batch's own fixes are spaced much more closely than that gap. Pure, for tests with explicit times.
 */
export function startsAfterGap(previousAt: number | null, batchTimes: number[]): boolean {
  if (previousAt === null || batchTimes.length < 2) return false;
  // Every batch of a reporting taxi comes here: the common one, continuing the series, is decided without sorting.
  const gap = Math.min(...batchTimes) - previousAt;
  if (gap < MIN_GAP_MS || gap > MAX_GAP_MS) return false;
  const times = [...batchTimes].sort((a, b) => a - b);
  const spacings = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const spacing = spacings[Math.floor(spacings.length / 2)];
  return gap > GAP_FACTOR * spacing;
}

interface Waiter {
  from: number;
  wake: () => void;
}

/** The batches of each vehicle waiting for an earlier one, in this process. */
export function createReorderWindow(waitMs = REORDER_WAIT_MS) {
  const waiting = new Map<string, Set<Waiter>>();

  return {
    /**
     * Resolves when a batch of the vehicle starting before `from` has taken its place (`joined`), or after the
     * window; true when it was woken.
     */
    waitForEarlier(vehicleId: string, from: number): Promise<boolean> {
      return new Promise((resolve) => {
        const set = waiting.get(vehicleId) ?? new Set<Waiter>();
        waiting.set(vehicleId, set);
        const done = (woken: boolean) => {
          clearTimeout(timer);
          set.delete(waiter);
          if (set.size === 0 && waiting.get(vehicleId) === set) waiting.delete(vehicleId);
          resolve(woken);
        };
        const waiter: Waiter = { from, wake: () => done(true) };
        const timer = setTimeout(() => done(false), waitMs);
        set.add(waiter);
      });
    },
    /** A batch of the vehicle starting at `from` has taken its place: the batches after it waiting for it go on. */
    joined(vehicleId: string, from: number): void {
      const set = waiting.get(vehicleId);
      if (!set) return; // the usual case: called for every batch, nobody waits
      for (const waiter of [...set]) if (waiter.from > from) waiter.wake();
    },
    /** How many batches are waiting (for tests and metrics). */
    size: () => [...waiting.values()].reduce((n, s) => n + s.size, 0),
  };
}
