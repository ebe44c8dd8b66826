/**
 * The day's tracks on a small vector map. Each taxi's fixes are thinned in the database to about 400 points
 * (every n-th), the most-driven 60 taxis are drawn, and a gap of over 10 minutes starts a new line.
 */
import { sql } from 'kysely';
import { trackMap, type MapTrack } from '../pdf/track-map.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

const POINTS_PER_TAXI = 400;
const TAXIS_DRAWN = 60;
const GAP_MS = 10 * 60_000;
const MAP_HEIGHT = 250;

async function load(ctx: ReportContext) {
  const fixes = await ctx.db
    .selectFrom((eb) =>
      eb
        .selectFrom('gps_fixes')
        .select([
          'vehicle_id',
          'device_time',
          'latitude',
          'longitude',
          sql<number>`row_number() OVER (PARTITION BY vehicle_id ORDER BY device_time)`.as('rn'),
          sql<number>`count(*) OVER (PARTITION BY vehicle_id)`.as('n'),
        ])
        .where('fleet_id', '=', ctx.fleet.id)
        .where('device_time', '>=', ctx.start)
        .where('device_time', '<', ctx.end)
        .as('f'),
    )
    .innerJoin('vehicles as v', 'v.id', 'f.vehicle_id')
    .select(['f.vehicle_id', 'v.plate', 'f.device_time', 'f.latitude', 'f.longitude', 'f.n'])
    .where(sql<boolean>`(f.rn - 1) % greatest(1, f.n / ${sql.lit(POINTS_PER_TAXI)}) = 0 OR f.rn = f.n`)
    .orderBy('f.vehicle_id')
    .orderBy('f.device_time')
    .execute();
  const byTaxi = new Map<string, { label: string; n: number; points: typeof fixes }>();
  for (const fix of fixes) {
    const entry = byTaxi.get(fix.vehicle_id) ?? { label: fix.plate, n: Number(fix.n), points: [] };
    entry.points.push(fix);
    byTaxi.set(fix.vehicle_id, entry);
  }
  const tracks: MapTrack[] = [...byTaxi.values()]
    .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label))
    .slice(0, TAXIS_DRAWN)
    .map(({ label, points }) => {
      const runs: MapTrack['runs'] = [];
      let previous = -Infinity;
      for (const p of points) {
        if (p.device_time.getTime() - previous > GAP_MS) runs.push([]);
        runs.at(-1)!.push([p.latitude, p.longitude]);
        previous = p.device_time.getTime();
      }
      return { label, runs };
    });
  const incidents = await ctx.db
    .selectFrom('incidents')
    .select(['latitude', 'longitude', 'severity'])
    .where('fleet_id', '=', ctx.fleet.id)
    .where('status', '!=', 'false_positive')
    .where('occurred_at', '>=', ctx.start)
    .where('occurred_at', '<', ctx.end)
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .execute();
  return { tracks, points: incidents.map((i) => ({ latitude: i.latitude!, longitude: i.longitude!, severity: i.severity })) };
}

export const mapSection = dailySection({
  id: 'map',
  load,
  render(doc, data, { words: w }) {
    doc.heading(w.t('map'));
    if (data.tracks.length === 0 && data.points.length === 0) {
      doc.paragraph(w.t('mapEmpty'), { muted: true });
      return;
    }
    doc.drawing(MAP_HEIGHT, trackMap(data.tracks, data.points, { height: MAP_HEIGHT, scaleLabel: (km) => w.t('scale', { km: w.number(km, 1) }) }));
  },
});
