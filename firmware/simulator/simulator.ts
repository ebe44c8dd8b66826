/** Runs N virtual taxis against a TaxiWatch server and sums what happened. */
import { DEFAULT_FAULTS, seededRandom, type FaultSettings } from './faults.ts';
import type { Track } from './track-loader.ts';
import { runTaxi, type SimCamera, type SimClock, type SimStats } from './virtual-taxi.ts';

/** One taxi as the demo plans it: its GPS unit's key, its cameras, its route and where in the route it starts. */
export interface TaxiPlan {
  key: string;
  cameras?: SimCamera[];
  track: Track;
  /** 0–1: where in its route cycle the taxi starts (staggers taxis that share a route). */
  startAt: number;
}

export interface SimulationOptions {
  baseUrl: string;
  /** One taxi per key, each on the next track in turn, spread over their routes (or give `taxis`). */
  keys?: string[];
  tracks?: Track[];
  frames?: Uint8Array<ArrayBuffer>[];
  /** Taxis planned one by one (the demo); replaces keys/tracks. */
  taxis?: TaxiPlan[];
  /** Wall-clock seconds to run. */
  durationSeconds: number;
  /** Device seconds per wall second: above 1 the drive is replayed faster, backdated so no fix is in the future. */
  speedup?: number;
  batchSize?: number;
  frameEverySeconds?: number | null;
  /** One heartbeat per unit every so many device-seconds (null: none, the default). */
  heartbeatEverySeconds?: number | null;
  /** Seconds each taxi rests, switched off, at each end of its route (default 0: it turns at once). */
  restSeconds?: number;
  faults?: FaultSettings;
  seed?: number;
  fetch?: typeof fetch;
  clock?: SimClock;
  /** One clock per taxi (tests use simulated clocks, which must not run faster because two taxis sleep). */
  clockFor?: (taxi: number) => SimClock;
  /** Record every generated device time (tests). */
  recordGenerated?: boolean;
  /** A taxi switched to the next key the server handed it (taxi index, old key, new key): persist it here. */
  onKeyRotated?: (taxi: number, oldKey: string, newKey: string) => void | Promise<void>;
}

export const realClock: SimClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export const emptyStats = (recordGenerated = false): SimStats => ({
  fixesGenerated: 0, requests: 0, stored: 0, duplicates: 0, implausible: 0, dropped: 0, retries: 0, offlinePeriods: 0, unsent: 0,
  framesSent: 0, framesStored: 0, heartbeats: 0, keyRotations: 0, errors: {}, ...(recordGenerated ? { generated: new Map() } : {}),
});

function plans(options: SimulationOptions): TaxiPlan[] {
  if (options.taxis) return options.taxis;
  const keys = options.keys ?? [];
  const tracks = options.tracks ?? [];
  if (tracks.length === 0) throw new Error('no recorded drives to follow');
  return keys.map((key, i) => ({ key, track: tracks[i % tracks.length], startAt: i / keys.length }));
}

export async function runSimulation(options: SimulationOptions): Promise<SimStats> {
  const taxis = plans(options);
  if (taxis.length === 0) throw new Error('the simulator needs at least one device key');
  const clock = options.clockFor?.(0) ?? options.clock ?? realClock;
  const speedup = options.speedup ?? 1;
  const start = clock.now();
  const until = start + options.durationSeconds * 1000;
  // Backdate the device clock so that, at the chosen speed-up, the newest fix is never in the future.
  const deviceStart = start - options.durationSeconds * 1000 * (speedup - 1);
  const random = seededRandom(options.seed ?? 1);
  const stats = emptyStats(options.recordGenerated);
  await Promise.all(
    taxis.map((taxi, i) =>
      runTaxi({
        ...taxi,
        restMs: (options.restSeconds ?? 0) * 1000,
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        fetch: options.fetch ?? fetch,
        clock: options.clockFor?.(i) ?? clock,
        until,
        deviceStart,
        speedup,
        batchSize: options.batchSize ?? 10,
        frameEverySeconds: options.frameEverySeconds === undefined ? 10 : options.frameEverySeconds,
        frames: options.frames ?? [],
        heartbeatEverySeconds: options.heartbeatEverySeconds ?? null,
        faults: options.faults ?? DEFAULT_FAULTS,
        random: seededRandom(Math.floor(random() * 2 ** 32)),
        stats,
        onKeyRotated: options.onKeyRotated && ((oldKey, newKey) => options.onKeyRotated!(i, oldKey, newKey)),
      }),
    ),
  );
  return stats;
}

export function formatStats(stats: SimStats): string {
  const errors = Object.entries(stats.errors).map(([status, n]) => `${status}×${n}`).join(' ') || 'none';
  return `fixes generated ${stats.fixesGenerated}, stored ${stats.stored}, duplicates ${stats.duplicates}, implausible ${stats.implausible}, dropped ${stats.dropped}, unsent ${stats.unsent}; requests ${stats.requests}, retries ${stats.retries}, offline periods ${stats.offlinePeriods}; frames sent ${stats.framesSent}, stored ${stats.framesStored}; heartbeats ${stats.heartbeats}; key rotations ${stats.keyRotations}; errors ${errors}`;
}
