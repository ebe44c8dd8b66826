/**
 * A trip's track for replay, as plain data: fixes packed as [seconds from start, lat, lon, km/h, heading] (compact
 * island props), thinned evenly when a long trip has more fixes than a page should carry, and the mappings the
 * replay needs between a moment, a slider index and a fix. Pure functions, shared by the server and the island.
 */

import { impliedKmh } from '../../edge/domain/telemetry/implied-motion.ts';

/** [seconds since the trip started, latitude, longitude, speed km/h or null, heading or null]. */
export type ReplayPoint = [number, number, number, number | null, number | null];

export interface ReplayFix {
  device_time: string;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
}

/** What a page sends to the island: beyond this a replay stays smooth and the page small (~120 KB of JSON). */
export const MAX_REPLAY_POINTS = 3000;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Packs fixes (device-time order) relative to `startMs`; keeps the first and last and an even spread between. A fix
 * stored without a speed (before the pipeline derived them) gets the one its position implies, by the telemetry
 * engine's own rule, so the chart shows what the trip's max speed was computed from.
 */
export function packTrack(fixes: ReplayFix[], startMs: number, max = MAX_REPLAY_POINTS): ReplayPoint[] {
  const withSpeeds = fixes.map((f, i) => {
    if (f.speed_kmh !== null || i === 0) return f;
    const position = (fix: ReplayFix) => ({ at: Date.parse(fix.device_time), lat: fix.latitude, lon: fix.longitude });
    return { ...f, speed_kmh: impliedKmh(position(fixes[i - 1]), position(f)) };
  });
  return thin(withSpeeds, max).map((f) => [
    round((Date.parse(f.device_time) - startMs) / 1000, 1),
    round(f.latitude, 6),
    round(f.longitude, 6),
    f.speed_kmh === null ? null : round(f.speed_kmh, 1),
    f.heading === null ? null : Math.round(f.heading),
  ]);
}

/** At most `max` items, evenly spread, always keeping the first and the last. */
export function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items.slice();
  if (max < 2) return items.slice(0, max);
  const out: T[] = [];
  const step = (items.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(items[Math.round(i * step)]);
  return out;
}

/** The index of the last point at or before `seconds` (0 before the start, the last after the end). */
export function indexAtTime(points: ReplayPoint[], seconds: number): number {
  if (points.length === 0 || seconds <= points[0][0]) return 0;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (points[mid][0] <= seconds) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A slider's value as a valid point index: whole, within the track (a slider may hand over "12" or 12.7). */
export function clampIndex(points: ReplayPoint[], value: number | string): number {
  const n = Math.round(Number(value));
  if (!Number.isFinite(n) || points.length === 0) return 0;
  return Math.min(points.length - 1, Math.max(0, n));
}

/** The instant of a point, for labels: the trip's start plus the point's offset. */
export function pointInstant(startedAt: string, point: ReplayPoint): string {
  return new Date(Date.parse(startedAt) + point[0] * 1000).toISOString();
}

/** The series uPlot draws: x = seconds from start, y = speed (null where the fix had none, drawn as a gap). */
export function speedSeries(points: ReplayPoint[]): [number[], Array<number | null>] {
  return [points.map((p) => p[0]), points.map((p) => p[3])];
}
