/**
 * Work a device need not wait for (rules, live events, enqueueing analysis) runs after its answer is sent when the
 * route offers a way to keep it alive (`background`: Workers' waitUntil, or nothing to do on Node/Deno). Bounded:
 * past MAX_IN_FLIGHT unfinished pieces the request waits for its own, which slows devices down instead of letting
 * memory grow without limit under overload.
 */
export type Background = (work: Promise<void>) => void;

// At 5,000 taxis (about 670 requests a second) the work after an answer takes a few hundred milliseconds, so 100–300
// pieces are in flight in ordinary operation and bursts reach 600. A limit of 256 was reached every few seconds
// there, and the answers past it (1.3 % of them) waited for their taxi's telemetry: p99 of seconds. A piece holds a
// batch or a frame's row, a few kilobytes, so this bounds that memory to a few megabytes.
export const MAX_IN_FLIGHT = 2048;
let inFlight = 0;

/** `work` learns whether it runs detached from the answer (true) or inside the request (false: do not dawdle). */
export async function afterAnswer(background: Background | undefined, work: (detached: boolean) => Promise<void>, onError: (error: unknown) => void): Promise<void> {
  if (!background || inFlight >= MAX_IN_FLIGHT) return work(false);
  inFlight++;
  background(
    work(true)
      .catch(onError)
      .finally(() => inFlight--),
  );
}
