/**
 * The faults real units live with, drawn from a seeded generator so a run can be repeated: coverage drops (the unit
 * buffers its fixes and uploads the backlog, oldest first, when it is back), and lost acknowledgements (the unit
 * sends a batch the server already stored). Transport errors, 429 and 503 are handled by retrying with backoff.
 */
export interface FaultSettings {
  /** Chance per batch that the unit loses coverage. */
  offlineRate: number;
  /** How long a coverage loss lasts, in device seconds. */
  offlineSeconds: [number, number];
  /** Chance per acknowledged batch that the acknowledgement is lost and the batch is sent again. */
  duplicateRate: number;
}

export const DEFAULT_FAULTS: FaultSettings = { offlineRate: 0.02, offlineSeconds: [30, 180], duplicateRate: 0.02 };
export const NO_FAULTS: FaultSettings = { offlineRate: 0, offlineSeconds: [0, 0], duplicateRate: 0 };

/** mulberry32: small, fast and good enough to make runs repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Backoff before retry `attempt` (1, 2, …): Retry-After when the server gave one, else 1 s doubling to 60 s. */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | null): number {
  if (retryAfterSeconds !== null && retryAfterSeconds >= 0) return retryAfterSeconds * 1000;
  return Math.min(60_000, 1000 * 2 ** (attempt - 1));
}
