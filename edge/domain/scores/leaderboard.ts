/**
 * The fleet leaderboard for one period: every driver's and every taxi's score with its trend against the previous
 * period and its fleet percentile, plus recognition (most improved, longest streak without incidents).
 * A fixed handful of grouped queries whatever the fleet's size: the trip rollup (a row per taxi, driver and day) and
 * the incidents of both periods in one pass each (per driver and taxi at once), the last incident per driver for
 * streaks, and the names.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { daysBetween, localDayAndMinute, localDaysRange, shiftDay } from '../fleet-time.ts';
import { lastIncidentByDriver, loadFleetBuckets } from './activity-store.ts';
import {
  addTotals,
  computeScore,
  emptyTotals,
  percentileFrom,
  trendOf,
  UNSCORED_TYPES,
  type ActivityTotals,
  type ScoreResult,
} from './score-formula.ts';
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

/** Orders names as `localeCompare` does (the same default collator), without building one per comparison. */
const byName = new Intl.Collator().compare;

/** The local day it is now in the fleet. */
export const fleetToday = (fleet: ScoreFleet, now: number) => localDayAndMinute(fleet.timezone, now).day;

function rank(
  subjects: Array<{ id: string; name: string }>,
  byKey: Map<string, Map<string, ActivityTotals>>,
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
  // percentileOf and the rank from one sorted list (binary searches), not a pass over the fleet per subject.
  const sorted = rows.flatMap((r) => (r.score === null ? [] : [r.score])).sort((a, b) => a - b);
  const firstAbove = (x: number, orEqual: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < x || (orEqual && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const r of rows) {
    if (r.score === null) continue;
    const below = firstAbove(r.score, false);
    const notAbove = firstAbove(r.score, true);
    r.percentile = percentileFrom(below, notAbove - below, sorted.length);
    r.rank = 1 + sorted.length - notAbove;
  }
  return rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.km - a.km || byName(a.name, b.name));
}

export async function leaderboard(
  db: Kysely<Database>,
  fleet: ScoreFleet,
  period: Period,
  day: string,
  today: string,
  /** Compare with another span than the previous period (it must end the day before `current` starts). */
  options: { previous?: PeriodSpan } = {},
): Promise<Leaderboard> {
  const current = periodOf(period, day);
  const previous = options.previous ?? previousPeriod(period, current);
  const { start, end } = localDaysRange(previous.first_day, current.last_day, fleet.timezone);
  const split = localDaysRange(current.first_day, current.first_day, fleet.timezone).start;
  const streakEnd = current.last_day < today ? current.last_day : today;
  const streakRange = localDaysRange(shiftDay(streakEnd, -STREAK_LOOKBACK_DAYS + 1), streakEnd, fleet.timezone);
  const [rows, drivers, taxis, lastIncidents] = await Promise.all([
    loadFleetBuckets(db, { fleetId: fleet.id, timeZone: fleet.timezone, start, split, end }),
    db.selectFrom('drivers').select(['id', 'name']).where('fleet_id', '=', fleet.id).execute(),
    db.selectFrom('vehicles').select(['id', 'plate as name']).where('fleet_id', '=', fleet.id).execute(),
    lastIncidentByDriver(db, {
      fleetId: fleet.id,
      start: streakRange.start,
      end: streakRange.end,
      unscored: UNSCORED_TYPES,
    }),
  ]);
  const key = (bucket: number) => (Number(bucket) === 1 ? current.first_day : previous.first_day);
  const byDriver = new Map<string, Map<string, ActivityTotals>>();
  const byTaxi = new Map<string, Map<string, ActivityTotals>>();
  const slot = (map: Map<string, Map<string, ActivityTotals>>, id: string, k: string) => {
    let m = map.get(id);
    if (!m) map.set(id, (m = new Map()));
    let t = m.get(k);
    if (!t) m.set(k, (t = emptyTotals()));
    return t;
  };
  for (const r of rows.trips) {
    const add = { km: Number(r.m) / 1000, seconds: Number(r.s), incidents: [], speedingMinutes: 0 };
    addTotals(slot(byTaxi, r.vehicle, key(r.bucket)), add);
    if (r.driver) addTotals(slot(byDriver, r.driver, key(r.bucket)), add);
  }
  for (const r of rows.incidents) {
    const add = {
      km: 0,
      seconds: 0,
      incidents: [{ type: r.type, severity: r.severity, count: Number(r.n) }],
      speedingMinutes: Number(r.speeding_min),
    };
    addTotals(slot(byTaxi, r.vehicle, key(r.bucket)), add);
    if (r.driver) addTotals(slot(byDriver, r.driver, key(r.bucket)), add);
  }
  const rankedDrivers = rank(drivers, byDriver, current.first_day, previous.first_day);
  const rankedTaxis = rank(taxis, byTaxi, current.first_day, previous.first_day);

  const improved = rankedDrivers
    .filter((d) => d.trend !== null && d.trend > 0)
    .sort((a, b) => b.trend! - a.trend! || byName(a.name, b.name))[0];
  // A streak is whole local days since the last counted incident, up to the period's end (or today, if sooner).
  const streaks = rankedDrivers
    .filter((d) => d.score !== null)
    .map((d) => {
      const last = lastIncidents.get(d.id);
      const days = last
        ? daysBetween(localDayAndMinute(fleet.timezone, last.getTime()).day, streakEnd) - 1
        : STREAK_LOOKBACK_DAYS;
      return { driver_id: d.id, name: d.name, days, at_least: !last };
    })
    .sort((a, b) => b.days - a.days || byName(a.name, b.name));
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
