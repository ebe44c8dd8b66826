/**
 * The fleet leaderboard for one period: every driver's and every taxi's score with its trend against the previous
 * period and its fleet percentile, plus recognition (most improved, longest streak without incidents).
 * Four grouped queries whatever the fleet's size (drivers, taxis, and the last incident per driver for streaks).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { daysBetween, localDayAndMinute, localDaysRange, shiftDay } from '../fleet-time.ts';
import { loadActivity, totalsBy, type ActivityQuery } from './activity-store.ts';
import { computeScore, emptyTotals, percentileOf, trendOf, UNSCORED_TYPES, type ScoreResult } from './score-formula.ts';
import { periodOf, previousPeriod, type Period, type PeriodSpan } from './score-periods.ts';

/** How far back a streak is looked for: a driver without a counted incident in this many days shows "90+". */
export const STREAK_LOOKBACK_DAYS = 90;

export interface ScoreFleet {
  id: string;
  timezone: string;
}

export interface RankedScore extends ScoreResult {
  id: string;
  name: string;
  previous_score: number | null;
  trend: number | null;
  percentile: number | null;
  /** 1 = best; null when unscored. Ties share a rank. */
  rank: number | null;
  /** Counted CRITICAL incidents in the period (a reason for coaching). */
  critical_incidents: number;
}

export interface Leaderboard {
  period: Period;
  current: PeriodSpan;
  previous: PeriodSpan;
  drivers: RankedScore[];
  taxis: RankedScore[];
  recognition: {
    most_improved: { driver_id: string; name: string; trend: number } | null;
    longest_streak: { driver_id: string; name: string; days: number; at_least: boolean } | null;
  };
}

/** The local day it is now in the fleet. */
export const fleetToday = (fleet: ScoreFleet, now: number) => localDayAndMinute(fleet.timezone, now).day;

function rank(
  subjects: Array<{ id: string; name: string }>,
  byKey: Map<string, Map<string, ReturnType<typeof emptyTotals>>>,
  cur: string,
  prev: string,
): RankedScore[] {
  const rows = subjects.map((s) => {
    const totals = byKey.get(s.id);
    const now = computeScore(totals?.get(cur) ?? emptyTotals());
    const before = computeScore(totals?.get(prev) ?? emptyTotals());
    const critical = (totals?.get(cur)?.incidents ?? [])
      .filter((i) => i.severity === 'CRITICAL')
      .reduce((n, i) => n + i.count, 0);
    return {
      ...s,
      ...now,
      previous_score: before.score,
      trend: trendOf(now.score, before.score),
      percentile: null as number | null,
      rank: null as number | null,
      critical_incidents: critical,
    };
  });
  const scores = rows.map((r) => r.score);
  for (const r of rows) {
    r.percentile = percentileOf(r.score, scores);
    r.rank = r.score === null ? null : 1 + scores.filter((s) => s !== null && s > r.score!).length;
  }
  return rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.km - a.km || a.name.localeCompare(b.name));
}

export async function leaderboard(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  period: Period,
  day: string,
  today: string,
): Promise<Leaderboard> {
  const current = periodOf(period, day);
  const previous = previousPeriod(period, current);
  const { start, end } = localDaysRange(previous.first_day, current.last_day, fleet.timezone);
  const keyOf = (d: string) => (d >= current.first_day ? current.first_day : previous.first_day);
  const base: Omit<ActivityQuery, 'by'> = { fleetId: fleet.id, timeZone: fleet.timezone, start, end };
  const streakEnd = current.last_day < today ? current.last_day : today;
  const [driverActivity, taxiActivity, drivers, taxis, lastIncidents] = await Promise.all([
    loadActivity(db, { ...base, by: 'driver' }),
    loadActivity(db, { ...base, by: 'vehicle' }),
    db.selectFrom('drivers').select(['id', 'name']).where('fleet_id', '=', fleet.id).execute(),
    db.selectFrom('vehicles').select(['id', 'plate as name']).where('fleet_id', '=', fleet.id).execute(),
    lastCountedIncidents(db, {
      ...base,
      start: localDaysRange(shiftDay(streakEnd, -STREAK_LOOKBACK_DAYS + 1), streakEnd, fleet.timezone).start,
      end: localDaysRange(streakEnd, streakEnd, fleet.timezone).end,
      by: 'driver',
    }),
  ]);
  const rankedDrivers = rank(drivers, totalsBy(driverActivity, keyOf), current.first_day, previous.first_day);
  const rankedTaxis = rank(taxis, totalsBy(taxiActivity, keyOf), current.first_day, previous.first_day);

  const improved = rankedDrivers
    .filter((d) => d.trend !== null && d.trend > 0)
    .sort((a, b) => b.trend! - a.trend! || a.name.localeCompare(b.name))[0];
  // A streak is whole local days since the last counted incident, up to the period's end (or today, if sooner).
  const streaks = rankedDrivers
    .filter((d) => d.score !== null)
    .map((d) => {
      const last = lastIncidents.get(d.id);
      const days = last ? daysBetween(last, streakEnd) - 1 : STREAK_LOOKBACK_DAYS;
      return { driver_id: d.id, name: d.name, days, at_least: !last };
    })
    .sort((a, b) => b.days - a.days || a.name.localeCompare(b.name));
  return {
    period,
    current,
    previous,
    drivers: rankedDrivers,
    taxis: rankedTaxis,
    recognition: {
      most_improved: improved ? { driver_id: improved.id, name: improved.name, trend: improved.trend! } : null,
      longest_streak: streaks[0] ?? null,
    },
  };
}

/** The local day of each driver's latest counted incident in [start, end). */
async function lastCountedIncidents(db: Kysely<Database>, q: ActivityQuery): Promise<Map<string, string>> {
  const activity = await loadActivity(db, { ...q, incidentsOnly: true });
  const out = new Map<string, string>();
  for (const r of activity.incidents) {
    if ((UNSCORED_TYPES as readonly string[]).includes(r.type)) continue;
    const seen = out.get(r.subject);
    if (seen === undefined || r.day > seen) out.set(r.subject, r.day);
  }
  return out;
}
