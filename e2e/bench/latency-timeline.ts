/**
 * Latency by window of scheduled send time: where in a run the slow answers were. A whole run's p95 cannot tell a
 * steady tail from a few seconds of stall (at 5,000 taxis the first seconds after the warm-up stalled while the rest
 * ran steadily: docs/develop/benchmarks.md, twelfth session), and the two have different causes.
 */
import { summarize } from './percentiles.ts';

export interface TimelineWindow {
  /** Start of the window, seconds from the start of the load. */
  fromS: number;
  /** Requests scheduled in the window and answered with a 2xx (their latencies below). */
  answered: number;
  /** Requests scheduled in the window that got an error or no answer. */
  failed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Collects when each request was scheduled and, if answered, its latency; then cuts the run into windows of `windowS` seconds. */
export function createLatencyTimeline(windowS: number) {
  const latencies: number[][] = [];
  const sent: number[] = [];
  const slot = (atMs: number) => Math.max(0, Math.floor(atMs / 1000 / windowS));
  return {
    /** A request went out, scheduled `atMs` after the start; whatever is not answered() later counts as failed. */
    sent(atMs: number) {
      const i = slot(atMs);
      sent[i] = (sent[i] ?? 0) + 1;
    },
    answered(atMs: number, latencyMs: number) {
      (latencies[slot(atMs)] ??= []).push(latencyMs);
    },
    windows(): TimelineWindow[] {
      const out: TimelineWindow[] = [];
      for (let i = 0; i < sent.length; i++) {
        const { count, p50, p95, max } = summarize(latencies[i] ?? []);
        out.push({ fromS: i * windowS, answered: count, failed: (sent[i] ?? 0) - count, p50Ms: p50, p95Ms: p95, maxMs: max });
      }
      return out;
    },
  };
}
