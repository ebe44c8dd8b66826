/** What the player shows from a verified evidence pack: its frames in order, with the speed and place at each. */
import type { PackVerdict } from '../../edge/domain/evidence/pack-format.ts';

export interface PackFrame {
  url: string;
  capturedAt: number;
  offsetS: number;
}

export interface PackPlayback {
  frames: PackFrame[];
  /** [time ms, latitude, longitude, speed km/h | null] from telemetry.csv. */
  fixes: Array<[number, number, number, number | null]>;
  incident: [number, number] | null;
}

export function readPack(verdict: PackVerdict, objectUrl: (bytes: Uint8Array) => string): PackPlayback {
  const text = (path: string) => (verdict.files[path] ? new TextDecoder().decode(verdict.files[path]) : '');
  const verdicts = JSON.parse(text('verdicts.json') || '{"frames":[]}') as { frames: Array<{ file: string; captured_at: string; offset_s: number }> };
  const frames = verdicts.frames.filter((f) => verdict.files[f.file]).map((f) => ({ url: objectUrl(verdict.files[f.file]), capturedAt: Date.parse(f.captured_at), offsetS: f.offset_s }));
  const fixes = text('telemetry.csv')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(','))
    .map(([time, lat, lon, speed]) => [Date.parse(time), Number(lat), Number(lon), speed === '' ? null : Number(speed)] as [number, number, number, number | null]);
  const track = JSON.parse(text('track.geojson') || '{"features":[]}') as { features: Array<{ geometry: { type: string; coordinates: number[] } | null }> };
  const point = track.features.find((f) => f.geometry?.type === 'Point')?.geometry?.coordinates;
  return { frames, fixes, incident: point ? [point[1], point[0]] : null };
}

/** The fix nearest in time to `at` (the taxi's speed and place when a frame was taken). */
export function nearestFix(fixes: PackPlayback['fixes'], at: number): PackPlayback['fixes'][number] | null {
  let best: PackPlayback['fixes'][number] | null = null;
  for (const fix of fixes) if (!best || Math.abs(fix[0] - at) < Math.abs(best[0] - at)) best = fix;
  return best;
}

/** How long a frame stays on screen: the real gap to the next one, at the chosen speed, within 0.2–3 s. */
export const frameDelayMs = (current: PackFrame, next: PackFrame | undefined, speed: number) => Math.min(3000, Math.max(200, ((next ? next.capturedAt - current.capturedAt : 1000) || 1000) / speed));
