/**
 * (f) The safety-score leaderboard (issue 21): seeds one fleet of `drivers` taxis and drivers with `days` days of
 * trips and incidents — every driver changes taxis halfway, trips and incidents carry no stored driver, so every row
 * goes through the assignment-history attribution — then times the week and month leaderboards in this process
 * (the domain call the API makes). Target: week p95 ≤ 200 ms for 500 drivers × 90 days on Postgres.
 */
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { leaderboard } from '../../edge/domain/scores/leaderboard.ts';
import { refreshTripDays } from '../../edge/domain/scores/refresh-trip-days.ts';
import { shiftDay } from '../../edge/domain/fleet-time.ts';
import type { Db } from '../../edge/ports/db.ts';
import { summarize, type LatencySummary } from './percentiles.ts';

export interface LeaderboardResult {
  drivers: number;
  days: number;
  trips: number;
  incidents: number;
  seedSeconds: number;
  week: LatencySummary;
  month: LatencySummary;
}

const FLEET = 'bench-scores-fleet';
const TZ = 'Europe/Madrid';
/** The last seeded day; the leaderboard is asked for the week and month that hold it. */
const LAST_DAY = '2026-06-30';

export async function measureLeaderboard(
  db: Db,
  o: { drivers: number; days: number; tripsPerDay: number; runs: number },
): Promise<LeaderboardResult> {
  const k = db.kysely;
  const t0 = performance.now();
  const first = shiftDay(LAST_DAY, -(o.days - 1));
  const start = `${first}T00:00:00Z`;
  const half = Math.floor(o.days / 2);
  await sql`insert into fleets (id, name, timezone, locale, speed_limit_kmh, created_at) values (${FLEET}, 'Bench scores', ${TZ}, 'es', 50, now())`.execute(
    k,
  );
  await sql`insert into drivers (id, fleet_id, name, licence_expires_on, created_at) select 'bs-d-' || i, ${FLEET}, 'Driver ' || i, '2030-01-01', now() from generate_series(1, ${o.drivers}) i`.execute(
    k,
  );
  await sql`insert into vehicles (id, fleet_id, plate, status, created_at) select 'bs-v-' || i, ${FLEET}, 'BS-' || i, 'active', now() from generate_series(1, ${o.drivers}) i`.execute(
    k,
  );
  // Driver i drives taxi i for the first half, then taxi i+1 (the last one wraps to taxi 1).
  await sql`insert into vehicle_drivers (id, fleet_id, vehicle_id, driver_id, started_at, ended_at, created_at)
    select 'bs-s1-' || i, ${FLEET}, 'bs-v-' || i, 'bs-d-' || i, ${start}::timestamptz, ${start}::timestamptz + make_interval(days => ${half}), now() from generate_series(1, ${o.drivers}) i`.execute(
    k,
  );
  await sql`insert into vehicle_drivers (id, fleet_id, vehicle_id, driver_id, started_at, ended_at, created_at)
    select 'bs-s2-' || i, ${FLEET}, 'bs-v-' || (i % ${o.drivers} + 1), 'bs-d-' || i, ${start}::timestamptz + make_interval(days => ${half}), null, now() from generate_series(1, ${o.drivers}) i`.execute(
    k,
  );
  await sql`insert into trips (id, fleet_id, vehicle_id, driver_id, started_at, ended_at, distance_m, duration_s)
    select 'bs-t-' || v || '-' || d || '-' || n, ${FLEET}, 'bs-v-' || v, null,
      ${start}::timestamptz + make_interval(days => d, hours => 5, mins => n * 50),
      ${start}::timestamptz + make_interval(days => d, hours => 5, mins => n * 50 + 20),
      3000 + ((v * 7 + d * 13 + n * 17) % 9) * 1000, 1200
    from generate_series(1, ${o.drivers}) v, generate_series(0, ${o.days - 1}) d, generate_series(0, ${o.tripsPerDay - 1}) n`.execute(
    k,
  );
  // About one incident per taxi and day, of varied types and severities; one in five a false positive.
  await sql`insert into incidents (id, fleet_id, vehicle_id, type, severity, description, source, status, occurred_at, last_seen_at, created_at)
    select 'bs-i-' || v || '-' || d, ${FLEET}, 'bs-v-' || v,
      (array['PHONE_USAGE','HARSH_BRAKING','SPEEDING','DROWSINESS','HARSH_ACCELERATION','DISTRACTION','IDLING'])[1 + (v + d) % 7],
      (array['LOW','MEDIUM','HIGH','CRITICAL'])[1 + ((v * 3 + d) % 10) / 3],
      '', 'vision', case when (v + d) % 5 = 0 then 'false_positive' else 'open' end,
      ${start}::timestamptz + make_interval(days => d, hours => 9, mins => v % 60),
      ${start}::timestamptz + make_interval(days => d, hours => 9, mins => v % 60 + 2), now()
    from generate_series(1, ${o.drivers}) v, generate_series(0, ${o.days - 1}) d`.execute(k);
  // As autovacuum would have by then: statistics, and a visibility map so the covering indexes are read alone.
  await sql`vacuum analyze trips`.execute(k);
  await sql`vacuum analyze incidents`.execute(k);
  await sql`vacuum analyze vehicle_drivers`.execute(k);
  // The score rollup of the seeded trips: their writes marked the taxi-days stale (migration 2132), as the minute job
  // would have recounted them by the time an owner looks.
  await refreshTripDays(k);
  await sql`vacuum analyze trip_days`.execute(k);
  const seedSeconds = (performance.now() - t0) / 1000;

  const fleet = { id: FLEET, timezone: TZ };
  const time = async (period: 'week' | 'month') => {
    const samples: number[] = [];
    for (let i = 0; i < o.runs + 2; i++) {
      const t = performance.now();
      const board = await leaderboard(k, fleet, period, LAST_DAY, LAST_DAY);
      if (board.drivers.length !== o.drivers)
        throw new Error(`leaderboard listed ${board.drivers.length} drivers, not ${o.drivers}`);
      // Two warm-up runs are not counted: the first plans the queries and fills the caches.
      if (i >= 2) samples.push(performance.now() - t);
    }
    return summarize(samples);
  };
  const week = await time('week');
  const month = await time('month');
  return {
    drivers: o.drivers,
    days: o.days,
    trips: o.drivers * o.days * o.tripsPerDay,
    incidents: o.drivers * o.days,
    seedSeconds,
    week,
    month,
  };
}
