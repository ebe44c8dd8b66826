/**
 * (e) One device sending overlapping batches at once: what a unit does when it comes back from a coverage gap and
 * its retries overlap (the same fixes in several in-flight batches, each batch reaching back before the last). Each
 * round sends `batches` requests of `fixesPerBatch` fixes at the same instant — by default 10 of the largest batch
 * the route takes (500) — and batch i covers seconds [i·step, i·step + fixesPerBatch) of the round (step a tenth of
 * a batch), so neighbours share 90 % of their fixes. Latency is per request.
 */
import type { HttpClient } from './http-client.ts';
import { summarize, type LatencySummary } from './percentiles.ts';
import type { BenchDevice } from './provision.ts';

export interface OverlapResult {
  rounds: number;
  batches: number;
  fixesPerBatch: number;
  requests: number;
  errors: number;
  firstError?: string;
  latencyMs: LatencySummary;
}

export async function measureOverlappingBatches(
  client: HttpClient,
  device: BenchDevice,
  options: { rounds: number; batches?: number; fixesPerBatch?: number },
): Promise<OverlapResult> {
  const batches = options.batches ?? 10;
  const fixesPerBatch = options.fixesPerBatch ?? 500;
  const step = Math.max(1, Math.floor(fixesPerBatch / 10));
  const roundSeconds = (batches - 1) * step + fixesPerBatch;
  // Rounds follow each other in device time (a drive that goes on), starting well in the past so "late" is real.
  const start = Date.now() - (options.rounds + 1) * roundSeconds * 1000;
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  for (let round = 0; round < options.rounds; round++) {
    const roundStart = start + round * roundSeconds * 1000;
    const bodies = Array.from({ length: batches }, (_, i) => ({
      fixes: Array.from({ length: fixesPerBatch }, (_, j) => {
        const second = i * step + j;
        return { latitude: 40.4 + second * 1e-4, longitude: -3.7, speed: 40, heading: 0, timestamp: new Date(roundStart + second * 1000).toISOString() };
      }),
    }));
    // Sent newest first: the later batches arrive before the ones they overlap, as retries after a gap do.
    bodies.reverse();
    await Promise.all(
      bodies.map(async (body) => {
        const sentAt = performance.now();
        try {
          const res = await client.postJson('/api/v1/tracking/location', body, { authorization: `Bearer ${device.key}` });
          samples.push(performance.now() - sentAt);
          if (res.status < 200 || res.status >= 300) {
            errors += 1;
            firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
          }
        } catch (error) {
          errors += 1;
          firstError ??= String(error);
        }
      }),
    );
  }
  return { rounds: options.rounds, batches, fixesPerBatch, requests: options.rounds * batches, errors, firstError, latencyMs: summarize(samples) };
}
