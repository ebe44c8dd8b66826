/** The day in figures: kilometres, hours driven, trips, taxis on the road and incidents, against the 7-day average. */
import { sql } from 'kysely';
import { dailySection } from './daily-section.ts';
import { average, previousDays } from './previous-days.ts';
import type { ReportContext } from '../report-context.ts';

interface Totals {
  metres: number;
  seconds: number;
  trips: number;
  taxis: number;
  incidents: number;
}

async function totals(ctx: ReportContext, start: Date, end: Date): Promise<Totals> {
  const [trips, incidents] = await Promise.all([
    ctx.db
      .selectFrom('trips')
      .select([
        sql<number>`coalesce(sum(distance_m), 0)::float8`.as('metres'),
        sql<number>`coalesce(sum(duration_s), 0)::float8`.as('seconds'),
        sql<number>`count(*)::int`.as('trips'),
        sql<number>`count(DISTINCT vehicle_id)::int`.as('taxis'),
      ])
      .where('fleet_id', '=', ctx.fleet.id)
      .where('started_at', '>=', start)
      .where('started_at', '<', end)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('incidents')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('fleet_id', '=', ctx.fleet.id)
      .where('status', '!=', 'false_positive')
      .where('occurred_at', '>=', start)
      .where('occurred_at', '<', end)
      .executeTakeFirstOrThrow(),
  ]);
  return { ...trips, incidents: incidents.n };
}

export const summarySection = dailySection({
  id: 'summary',
  async load(ctx) {
    const prev = await previousDays(ctx);
    const [today, before] = await Promise.all([totals(ctx, ctx.start, ctx.end), totals(ctx, prev.start, prev.end)]);
    return { today, average: { metres: average(before.metres, prev), incidents: average(before.incidents, prev) } };
  },
  render(doc, { today, average: avg }, { words: w }) {
    const note = (value: number, mean: number | null) => (mean === null ? w.t('noAverage') : w.t('versusAverage', { change: w.change(value, mean) }));
    doc.heading(w.t('summary'));
    doc.figures([
      { label: w.t('kilometres'), value: w.number(today.metres / 1000, 1), note: note(today.metres, avg.metres) },
      { label: w.t('hoursDriven'), value: w.number(today.seconds / 3600, 1) },
      { label: w.t('trips'), value: w.number(today.trips) },
      { label: w.t('taxisOnTheRoad'), value: w.number(today.taxis) },
      { label: w.t('incidents'), value: w.number(today.incidents), note: note(today.incidents, avg.incidents) },
    ]);
  },
});
