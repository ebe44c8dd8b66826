/**
 * How busy this process's event loop is: the share of the last window it spent running code rather than waiting for
 * I/O, where the runtime tells (Node's `performance.eventLoopUtilization`); null elsewhere (Deno, Workers). Near 1 the
 * process is full: every request waits for the ones before it, and answers slow down long before the CPU looks busy
 * to the machine (a process on a shared machine also counts the time the kernel gave its core to another). Measured
 * in fixed windows by a timer that starts on the first reading, so scrapers and consoles asking at their own pace
 * all read the same figure, and a process nobody asks runs no timer. No `node:` import.
 */
interface Utilization {
  idle: number;
  active: number;
  utilization: number;
}

type EventLoopUtilization = (current?: Utilization, previous?: Utilization) => Utilization;

export interface EventLoopLoad {
  /**
   * 0–1, to three decimals, over the last complete window (before the first, since the first reading); null where the
   * runtime cannot say.
   */
  utilization(): number | null;
  readonly windowSeconds: number;
}

export function createEventLoopLoad(windowMs = 10_000): EventLoopLoad {
  const measure = (globalThis.performance as { eventLoopUtilization?: EventLoopUtilization } | undefined)?.eventLoopUtilization?.bind(globalThis.performance);
  let windowStart: Utilization | undefined;
  let lastWindow: number | undefined;
  const startTimer = () => {
    windowStart = measure!();
    const timer = setInterval(() => {
      const now = measure!();
      lastWindow = measure!(now, windowStart).utilization;
      windowStart = now;
    }, windowMs);
    (timer as { unref?: () => void }).unref?.();
  };
  return {
    windowSeconds: windowMs / 1000,
    utilization() {
      if (!measure) return null;
      if (!windowStart) startTimer();
      return Math.round((lastWindow ?? measure(measure(), windowStart).utilization) * 1000) / 1000;
    },
  };
}

let processLoad: EventLoopLoad | undefined;

/** The one reading of this process (metrics and the admin console share it). */
export function eventLoopLoad(): EventLoopLoad {
  return (processLoad ??= createEventLoopLoad());
}
