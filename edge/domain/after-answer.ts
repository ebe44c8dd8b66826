/**
 * Work a device need not wait for (rules, live events, enqueueing analysis) runs after its answer is sent when the
 * route offers a way to keep it alive (`background`: Workers' waitUntil, or nothing to do on Node/Deno). Bounded:
 * past MAX_IN_FLIGHT unfinished pieces the request waits for its own, which slows devices down instead of letting
 * memory grow without limit under overload.
 */
export type Background = (work: Promise<void>) => void;

const MAX_IN_FLIGHT = 256;
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
