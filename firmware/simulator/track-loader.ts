/**
 * Loads the recorded drives (../shared/data/gps/normalized/*.csv: timestamp_utc, lat, lon, speed_mps) as tracks
 * with times relative to their start. Recordings at 10 Hz are thinned to one point per second, the rate taxi units
 * report at; speeds stay what the recorder measured (empty when it measured none).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TrackPoint {
  /** Milliseconds since the first point. */
  t: number;
  lat: number;
  lon: number;
  speedKmh: number | null;
}

export interface Track {
  name: string;
  points: TrackPoint[];
  durationMs: number;
}

export function parseTrackCsv(name: string, csv: string): Track {
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const columns = header.split(',');
  const at = (row: string[], column: string) => row[columns.indexOf(column)];
  const points: TrackPoint[] = [];
  let start = NaN;
  for (const line of lines) {
    const row = line.split(',');
    const time = Date.parse(at(row, 'timestamp_utc'));
    const lat = Number(at(row, 'lat'));
    const lon = Number(at(row, 'lon'));
    if (!Number.isFinite(time) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    if (Number.isNaN(start)) start = time;
    const t = time - start;
    if (points.length > 0 && t - points.at(-1)!.t < 1000) continue; // one point per second at most
    const mps = at(row, 'speed_mps');
    points.push({ t, lat, lon, speedKmh: mps ? Math.round(Number(mps) * 3.6 * 10) / 10 : null });
  }
  return { name, points, durationMs: points.at(-1)?.t ?? 0 };
}

export function loadTracks(dataDir: string): Track[] {
  const dir = join(dataDir, 'gps', 'normalized');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => parseTrackCsv(f.replace(/\.csv$/, ''), readFileSync(join(dir, f), 'utf8')))
    .filter((track) => track.points.length >= 10);
}

export function loadFrames(dataDir: string): Uint8Array<ArrayBuffer>[] {
  const dir = join(dataDir, 'images', 'dashcam');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

/**
 * Pictures for cabin cameras. The shared data has no real cabin frames, so these are its photos of people facing a
 * camera (public-domain portraits; licences in ../shared/data/LICENSES): enough to show a cabin camera's evidence.
 */
export const CABIN_PHOTOS = ['skimage_astronaut_from_png.jpg', 'pillow_hopper.jpg'];

export function loadCabinFrames(dataDir: string): Uint8Array<ArrayBuffer>[] {
  return CABIN_PHOTOS.map((f) => new Uint8Array(readFileSync(join(dataDir, 'images', 'photos', f))));
}
