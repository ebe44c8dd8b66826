/**
 * The work a Worker request leaves behind after its answer (telemetry after a fix batch, last seen, queued jobs), kept
 * alive with the request's waitUntil and followed, only once all of it has settled, by the request's cleanup.
 *
 * Closing the request's database connection in a `finally` right after the answer would pull it from under that work
 * ("driver has already been destroyed"): trips, incidents and last seen would silently never be written.
 */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

export function trackBackgroundWork(ctx: ExecutionContextLike) {
  const pending: Promise<unknown>[] = [];
  const tracked: ExecutionContextLike = {
    waitUntil(promise) {
      pending.push(promise.catch(() => {}));
      ctx.waitUntil(promise);
    },
    passThroughOnException: () => ctx.passThroughOnException?.(),
  };
  return {
    ctx: tracked,
    /** Resolves when every piece of work handed over so far has settled, including work that work handed over. */
    async settled(): Promise<void> {
      let done = 0;
      while (done < pending.length) {
        const upTo = pending.length;
        await Promise.all(pending.slice(done, upTo));
        done = upTo;
      }
    },
    /** Runs `then` once everything has settled, keeping the request alive until it has. */
    finally(then: () => Promise<unknown>): void {
      ctx.waitUntil(this.settled().then(then, then));
    },
  };
}
