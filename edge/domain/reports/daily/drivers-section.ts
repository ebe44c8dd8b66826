/** The drivers with the fewest and the most incidents per 100 km on the day (among those who drove far enough to compare). */
import { sql } from 'kysely';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

/** Below this a single incident swings the rate wildly: such drivers are left out of the ranking. */
export const MIN_KM_TO_RANK = 5;
const SHOWN = 3;

export interface DriverRate {
  driverId: string;
  name: string;
  trips: number;
  km: number;
  seconds: number;
  incidents: number;
  per100km: number;
}

/** Per driver: km from trips, incidents attributed to them; used by the daily and the on-demand reports. */
export async function driverRates(ctx: ReportContext): Promise<DriverRate[]> {
  let trips = ctx.db
    .selectFrom('trips')
    .innerJoin('drivers', 'drivers.id', 'trips.driver_id')
    .select([
      'drivers.id as driverId',
      'drivers.name',
      sql<number>`count(*)::int`.as('trips'),
      sql<number>`sum(trips.distance_m)::float8 / 1000`.as('km'),
      sql<number>`sum(trips.duration_s)::float8`.as('seconds'),
    ])
    .where('trips.fleet_id', '=', ctx.fleet.id)
    .where('trips.started_at', '>=', ctx.start)
    .where('trips.started_at', '<', ctx.end)
    .groupBy(['drivers.id', 'drivers.name']);
  let incidents = ctx.db
    .selectFrom('incidents')
    .select(['driver_id', sql<number>`count(*)::int`.as('n')])
    .where('fleet_id', '=', ctx.fleet.id)
    .where('status', '!=', 'false_positive')
    .where('driver_id', 'is not', null)
    .where('occurred_at', '>=', ctx.start)
    .where('occurred_at', '<', ctx.end)
    .groupBy('driver_id');
  if (ctx.vehicleId) {
    trips = trips.where('trips.vehicle_id', '=', ctx.vehicleId);
    incidents = incidents.where('vehicle_id', '=', ctx.vehicleId);
  }
  if (ctx.driverId) {
    trips = trips.where('trips.driver_id', '=', ctx.driverId);
    incidents = incidents.where('driver_id', '=', ctx.driverId);
  }
  const [distance, counts] = await Promise.all([trips.execute(), incidents.execute()]);
  const byDriver = new Map(counts.map((c) => [c.driver_id!, c.n]));
  return distance
    .map((d) => {
      const n = byDriver.get(d.driverId) ?? 0;
      return { ...d, incidents: n, per100km: d.km > 0 ? (n / d.km) * 100 : 0 };
    })
    .sort((a, b) => a.per100km - b.per100km || b.km - a.km || a.name.localeCompare(b.name));
}

export const driversSection = dailySection({
  id: 'drivers',
  async load(ctx) {
    const ranked = (await driverRates(ctx)).filter((d) => d.km >= MIN_KM_TO_RANK);
    const best = ranked.slice(0, Math.min(SHOWN, Math.ceil(ranked.length / 2)));
    const worst = ranked.slice(best.length).reverse().slice(0, SHOWN);
    return { best, worst };
  },
  render(doc, { best, worst }, { words: w }) {
    doc.heading(w.t('drivers'));
    if (best.length === 0) {
      doc.paragraph(w.t('noDrivers'), { muted: true });
      return;
    }
    doc.paragraph(w.t('driversNote', { km: MIN_KM_TO_RANK }), { muted: true, size: 8.5 });
    const columns = [
      { title: w.t('driver'), width: 4 },
      { title: w.t('km'), width: 1.4, align: 'right' as const },
      { title: w.t('incidents'), width: 1.6, align: 'right' as const },
      { title: w.t('per100km'), width: 1.6, align: 'right' as const },
    ];
    const rows = (list: DriverRate[]) => list.map((d) => [d.name, w.number(d.km, 1), w.number(d.incidents), w.number(d.per100km, 2)]);
    doc.subheading(w.t('best'));
    doc.table(columns, rows(best));
    if (worst.length > 0) {
      doc.subheading(w.t('worst'));
      doc.table(columns, rows(worst));
    }
  },
});
