/**
 * The demo's city: the recorded drives of one area, Richardson and north Dallas (Texas), so a fleet driving them
 * fits one city map. Three GPSLogger drives (sharedstreets-matcher's osmtrace samples) and a taxi fare from the
 * same repository's pickup/drop-off trace: the part between its PICKUP and DROPOFF rows (positions only, no speed,
 * as many phones report). Their timezone is America/Chicago.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackCsv, type Track, type TrackPoint } from './track-loader.ts';

export const CITY_TIMEZONE = 'America/Chicago';

const OSM_TRACES = ['sharedstreets_dallas_osmtrace_2645199', 'sharedstreets_dallas_osmtrace_2645200', 'sharedstreets_dallas_osmtrace_2645250'];
const FARE_TRACE = 'sharedstreets_dallas_csv_trace2_pickup_dropoff';

/** `id,timestamp,lat,lon,event` rows without a header; the fare runs from the PICKUP row to the DROPOFF row. */
export function parseFareTrace(name: string, csv: string): Track {
  const rows = csv.trim().split(/\r?\n/).map((line) => line.split(','));
  const from = rows.findIndex((r) => r[4]?.trim() === 'PICKUP');
  const to = rows.findIndex((r) => r[4]?.trim() === 'DROPOFF');
  if (from === -1 || to <= from) throw new Error(`${name}: no PICKUP row followed by a DROPOFF row`);
  const points: TrackPoint[] = [];
  const start = Date.parse(rows[from][1]);
  for (const row of rows.slice(from, to + 1)) {
    const t = Date.parse(row[1]) - start;
    const lat = Number(row[2]);
    const lon = Number(row[3]);
    if (!Number.isFinite(t) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    if (points.length > 0 && t - points.at(-1)!.t < 1000) continue;
    points.push({ t, lat, lon, speedKmh: null });
  }
  return { name, points, durationMs: points.at(-1)?.t ?? 0 };
}

/** The four routes, always in this order (the demo gives taxi n route n mod 4). */
export function loadCityRoutes(dataDir: string): Track[] {
  const gps = join(dataDir, 'gps');
  return [
    ...OSM_TRACES.map((name) => parseTrackCsv(name, readFileSync(join(gps, 'normalized', `${name}.csv`), 'utf8'))),
    parseFareTrace(FARE_TRACE, readFileSync(join(gps, 'tracks', `${FARE_TRACE}.csv`), 'utf8')),
  ];
}
