/** Runs N virtual taxis against a TaxiWatch server and sums what happened. */
import { DEFAULT_FAULTS, seededRandom, type FaultSettings } from './faults.ts';
import type { Track } from './track-loader.ts';
import { runTaxi, type SimClock, type SimStats } from './virtual-taxi.ts';

export interface SimulationOptions {
  baseUrl: string;
  keys: string[];
  tracks: Track[];
  frames: Uint8Array<ArrayBuffer>[];
  /** Wall-clock seconds to run. */
  durationSeconds: number;
  /** Device seconds per wall second: above 1 the drive is replayed faster, backdated so no fix is in the future. */
  speedup?: number;
  batchSize?: number;
  frameEverySeconds?: number | null;
  faults?: FaultSettings;
  seed?: number;
  fetch?: typeof fetch;
  clock?: SimClock;
  /** One clock per taxi (tests use simulated clocks, which must not run faster because two taxis sleep). */
  clockFor?: (taxi: number) => SimClock;
  /** Record every generated device time (tests). */
  recordGenerated?: boolean;
}

export const realClock: SimClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export async function runSimulation(options: SimulationOptions): Promise<SimStats> {
  if (options.keys.length === 0) throw new Error('the simulator needs at least one device key');
  if (options.tracks.length === 0) throw new Error('no recorded drives to follow');
  const clock = options.clockFor?.(0) ?? options.clock ?? realClock;
  const speedup = options.speedup ?? 1;
  const start = clock.now();
  const until = start + options.durationSeconds * 1000;
  // Backdate the device clock so that, at the chosen speed-up, the newest fix is never in the future.
  const deviceStart = start - options.durationSeconds * 1000 * (speedup - 1);
  const random = seededRandom(options.seed ?? 1);
  const stats: SimStats = { fixesGenerated: 0, requests: 0, stored: 0, duplicates: 0, dropped: 0, retries: 0, offlinePeriods: 0, unsent: 0, framesSent: 0, framesStored: 0, errors: {}, ...(options.recordGenerated ? { generated: new Map() } : {}) };
  await Promise.all(
    options.keys.map((key, i) => {
      const track = options.tracks[i % options.tracks.length];
      return runTaxi({
        key,
        track,
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        fetch: options.fetch ?? fetch,
        clock: options.clockFor?.(i) ?? clock,
        until,
        deviceStart,
        speedup,
        batchSize: options.batchSize ?? 10,
        frameEverySeconds: options.frameEverySeconds === undefined ? 10 : options.frameEverySeconds,
        frames: options.frames,
        faults: options.faults ?? DEFAULT_FAULTS,
        random: seededRandom(Math.floor(random() * 2 ** 32)),
        startIndex: Math.floor((i / options.keys.length) * track.points.length),
        stats,
      });
    }),
  );
  return stats;
}

export function formatStats(stats: SimStats): string {
  const errors = Object.entries(stats.errors).map(([status, n]) => `${status}×${n}`).join(' ') || 'none';
  return `fixes generated ${stats.fixesGenerated}, stored ${stats.stored}, duplicates ${stats.duplicates}, dropped ${stats.dropped}, unsent ${stats.unsent}; requests ${stats.requests}, retries ${stats.retries}, offline periods ${stats.offlinePeriods}; frames sent ${stats.framesSent}, stored ${stats.framesStored}; errors ${errors}`;
}
