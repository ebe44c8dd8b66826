/**
 * One driver's scores over time: a series of periods (oldest first), each with its breakdown and its trend against
 * the period before, and for the latest period the driver's percentile in the fleet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { localDaysRange } from '../fleet-time.ts';
import { loadActivity, totalsBy } from './activity-store.ts';
import { leaderboard, type ScoreFleet } from './leaderboard.ts';
import { computeScore, emptyTotals, trendOf, type ScoreResult } from './score-formula.ts';
import { periodOf, periodsBetween, previousPeriod, type Period, type PeriodSpan } from './score-periods.ts';

export interface SeriesPoint extends ScoreResult, PeriodSpan {
  trend: number | null;
}

export interface DriverScores {
  period: Period;
  series: SeriesPoint[];
  /** The latest period of the series, with the driver's place in the fleet then. */
  latest: (SeriesPoint & { percentile: number | null; rank: number | null; drivers_scored: number }) | null;
}

/** Scores of one subject for each span, keyed by first day, from one pass over its activity. */
export async function scoresOver(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  by: 'driver' | 'vehicle',
  id: string,
  spans: PeriodSpan[],
): Promise<Map<string, ScoreResult>> {
  if (spans.length === 0) return new Map();
  const sorted = [...spans].sort((a, b) => a.first_day.localeCompare(b.first_day));
  const { start } = localDaysRange(sorted[0]!.first_day, sorted[0]!.first_day, fleet.timezone);
  const end = localDaysRange(sorted.at(-1)!.last_day, sorted.at(-1)!.last_day, fleet.timezone).end;
  const activity = await loadActivity(db, {
    fleetId: fleet.id,
    timeZone: fleet.timezone,
    start,
    end,
    by,
    subjectId: id,
  });
  // Spans may overlap (before/after windows of close sessions): sum each day into every span that holds it.
  const out = new Map<string, ScoreResult>();
  for (const span of spans) {
    const totals = totalsBy(activity, (d) => (d >= span.first_day && d <= span.last_day ? 'x' : null))
      .get(id)
      ?.get('x');
    out.set(`${span.first_day}/${span.last_day}`, computeScore(totals ?? emptyTotals()));
  }
  return out;
}

export async function driverScores(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  driverId: string,
  kind: Period,
  from: string,
  to: string,
  today: string,
): Promise<DriverScores> {
  const spans = periodsBetween(kind, from, to);
  const before = previousPeriod(kind, spans[0]!);
  const { start } = localDaysRange(before.first_day, before.first_day, fleet.timezone);
  const { end } = localDaysRange(spans.at(-1)!.last_day, spans.at(-1)!.last_day, fleet.timezone);
  const activity = await loadActivity(db, {
    fleetId: fleet.id,
    timeZone: fleet.timezone,
    start,
    end,
    by: 'driver',
    subjectId: driverId,
  });
  const totals = totalsBy(activity, (d) => periodOf(kind, d).first_day).get(driverId);
  let previous = computeScore(totals?.get(before.first_day) ?? emptyTotals()).score;
  const series = spans.map((span) => {
    const result = computeScore(totals?.get(span.first_day) ?? emptyTotals());
    const point = { ...span, ...result, trend: trendOf(result.score, previous) };
    previous = result.score;
    return point;
  });
  const last = series.at(-1)!;
  const board = await leaderboard(db, fleet, kind, last.first_day, today);
  const mine = board.drivers.find((d) => d.id === driverId);
  return {
    period: kind,
    series,
    latest: {
      ...last,
      percentile: mine?.percentile ?? null,
      rank: mine?.rank ?? null,
      drivers_scored: board.drivers.filter((d) => d.score !== null).length,
    },
  };
}
