/**
 * The score rollup (trip_days, migration 2131) always equals a scan of the trips with the scores' attribution
 * (stored driver, else the stint in force when the trip started; the fleet-local day the trip started), on PGlite
 * and Postgres, through the telemetry pipeline's own writers: trips saved, saved again (a retried batch), rewritten
 * and deleted by a recompute, purged; stints changed; a driver deleted; the fleet's timezone changed.
 *
 * Fleet A is Europe/Madrid (UTC+2 in June). Bruno drives A1 until 1 Jun 10:00Z, Ana from then on (a change mid-day).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoresFixture, type ScoresFixture } from '../../../e2e/support/scores-fixture.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { deleteTrips } from '../telemetry/telemetry-store.ts';
import { refreshTripDays } from './refresh-trip-days.ts';
import { saveVehiclesTrips } from '../telemetry/telemetry-group-store.ts';
import type { TripRecord } from '../telemetry/telemetry-types.ts';

const backends = [
  { database: 'pglite' as const },
  ...((await postgresAvailable()) ? [{ database: 'postgres' as const }] : []),
];

interface DayRow {
  vehicle: string;
  driver: string | null;
  day: string;
  trips: number;
  m: number;
  s: number;
}

const at = (iso: string) => Date.parse(iso);
const trip = (startIso: string, km: number, minutes: number): TripRecord => ({
  startedAt: at(startIso),
  endedAt: at(startIso) + minutes * 60_000,
  distanceM: km * 1000,
  durationS: minutes * 60,
  maxSpeedKmh: 60,
  avgSpeedKmh: 30,
});

describe.each(backends)('trip_days rollup on $database', ({ database }) => {
  let f: ScoresFixture;
  const db = () => f.platform.db.kysely;
  const sorted = (rows: DayRow[]) =>
    rows
      .map((r) => ({ ...r, m: Math.round(Number(r.m) * 1000) / 1000, s: Number(r.s), trips: Number(r.trips) }))
      .sort((a, b) => `${a.vehicle}|${a.day}|${a.driver}`.localeCompare(`${b.vehicle}|${b.day}|${b.driver}`));
  // Trip writes mark their taxi-days stale (migration 2132); a read recounts them first, as the scores' reads do.
  const rollup = async () => {
    await refreshTripDays(db());
    return stored();
  };
  const stored = async () =>
    sorted(
      (
        await sql<DayRow>`select vehicle_id as vehicle, driver_id as driver, to_char(day, 'YYYY-MM-DD') as day, trips,
          distance_m as m, duration_s::float8 as s from trip_days`.execute(db())
      ).rows,
    );
  const scan = async () =>
    sorted(
      (
        await sql<DayRow>`select x.vehicle_id as vehicle, coalesce(x.driver_id, vd.driver_id) as driver,
          to_char(x.started_at at time zone f.timezone, 'YYYY-MM-DD') as day, count(*)::int as trips,
          sum(x.distance_m) as m, sum(x.duration_s)::float8 as s
        from trips x join fleets f on f.id = x.fleet_id
          left join vehicle_drivers vd on vd.fleet_id = x.fleet_id and vd.vehicle_id = x.vehicle_id
            and x.started_at >= vd.started_at and (vd.ended_at is null or x.started_at < vd.ended_at)
        group by 1, 2, 3`.execute(db())
      ).rows,
    );
  const save = (vehicleId: string, trips: TripRecord[], fleetId = f.fleetA) =>
    db()
      .transaction()
      .execute((tx) => saveVehiclesTrips(tx, [{ vehicle: { fleetId, vehicleId }, trips }], () => f.platform.ids.next()));
  const staleDays = async () =>
    (await sql<{ k: string }>`select vehicle_id || ' ' || to_char(day, 'YYYY-MM-DD') as k from trip_days_stale order by 1`.execute(db())).rows.map((r) => r.k);
  const dayOf = (rows: DayRow[], vehicle: string, day: string, driver: string | null) =>
    rows.find((r) => r.vehicle === vehicle && r.day === day && r.driver === driver);

  beforeAll(async () => {
    f = await createScoresFixture({ database, now: '2026-06-03T10:00:00Z' });
    const { fleetA: A, taxi, driver } = f;
    await f.stint({ fleetId: A, vehicleId: taxi.A1, driverId: driver.bruno, from: '2026-05-20T00:00:00Z', to: '2026-06-01T10:00:00Z' });
    await f.stint({ fleetId: A, vehicleId: taxi.A1, driverId: driver.ana, from: '2026-06-01T10:00:00Z' });
  });
  afterAll(() => f?.platform.close());

  it('counts saved trips per driver and local day, a trip across midnight on the day it started', async () => {
    const { taxi, driver } = f;
    await save(taxi.A1, [
      trip('2026-06-01T06:00:00Z', 40, 60), // Bruno
      trip('2026-06-01T12:00:00Z', 50, 30), // Ana, after the change
      trip('2026-06-01T21:30:00Z', 10, 60), // 23:30 local until 00:30 on 2 June: counts on 1 June
      trip('2026-06-01T22:30:00Z', 25, 30), // 00:30 local: 2 June
    ]);
    await save(taxi.A2, [trip('2026-06-02T08:00:00Z', 7.5, 15)]); // nobody drives A2: the taxi's only
    const rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(dayOf(rows, taxi.A1, '2026-06-01', driver.bruno)).toMatchObject({ trips: 1, m: 40_000, s: 3600 });
    expect(dayOf(rows, taxi.A1, '2026-06-01', driver.ana)).toMatchObject({ trips: 2, m: 60_000, s: 5400 });
    expect(dayOf(rows, taxi.A1, '2026-06-02', driver.ana)).toMatchObject({ trips: 1, m: 25_000, s: 1800 });
    expect(dayOf(rows, taxi.A2, '2026-06-02', null)).toMatchObject({ trips: 1, m: 7500, s: 900 });
  });

  it('does not double-count a retried batch', async () => {
    const before = await rollup();
    await save(f.taxi.A1, [trip('2026-06-01T06:00:00Z', 40, 60), trip('2026-06-01T12:00:00Z', 50, 30)]);
    await save(f.taxi.A1, [trip('2026-06-01T06:00:00Z', 40, 60), trip('2026-06-01T12:00:00Z', 50, 30)]);
    expect(await rollup()).toEqual(before);
  });

  it('follows a recompute that rewrites one trip and drops another, and a purge', async () => {
    const { taxi, driver } = f;
    // The recompute finds the 12:00Z trip longer and the 22:30Z one superseded (apply-telemetry's two writes).
    await db()
      .transaction()
      .execute(async (tx) => {
        await saveVehiclesTrips(tx, [{ vehicle: { fleetId: f.fleetA, vehicleId: taxi.A1 }, trips: [trip('2026-06-01T12:00:00Z', 55.25, 40)] }], () => f.platform.ids.next());
        await deleteTrips(tx, taxi.A1, { startedAt: [at('2026-06-01T22:30:00Z')] });
      });
    let rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(dayOf(rows, taxi.A1, '2026-06-01', driver.ana)).toMatchObject({ trips: 2, m: 65_250, s: 6000 });
    expect(dayOf(rows, taxi.A1, '2026-06-02', driver.ana)).toBeUndefined();
    // Purge: every trip of A2 goes.
    await db().deleteFrom('trips').where('vehicle_id', '=', taxi.A2).execute();
    rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(rows.some((r) => r.vehicle === taxi.A2)).toBe(false);
  });

  it('moves days when stints change, a driver is deleted or the fleet changes timezone', async () => {
    const { taxi, driver } = f;
    // The change is corrected to 13:00Z: the 12:00Z trip becomes Bruno's.
    await db().updateTable('vehicle_drivers').set({ ended_at: new Date('2026-06-01T13:00:00Z') }).where('driver_id', '=', driver.bruno).execute();
    await db().updateTable('vehicle_drivers').set({ started_at: new Date('2026-06-01T13:00:00Z') }).where('driver_id', '=', driver.ana).execute();
    let rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(dayOf(rows, taxi.A1, '2026-06-01', driver.bruno)).toMatchObject({ trips: 2, m: 95_250 });
    // A trip that stores its driver keeps it whatever the stints say; deleting that driver hands it to the stint.
    await save(taxi.A1, [trip('2026-06-02T09:00:00Z', 12, 20)]);
    await db().updateTable('trips').set({ driver_id: driver.carla }).where('started_at', '=', new Date('2026-06-02T09:00:00Z')).execute();
    expect(dayOf(await rollup(), taxi.A1, '2026-06-02', driver.carla)).toMatchObject({ trips: 1, m: 12_000 });
    await db().deleteFrom('drivers').where('id', '=', driver.carla).execute();
    rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(dayOf(rows, taxi.A1, '2026-06-02', driver.ana)).toMatchObject({ trips: 1, m: 12_000 });
    // Days are recounted for a new zone: in Tokyo (UTC+9) the 21:30Z trip starts at 06:30 on 2 June.
    await db().updateTable('fleets').set({ timezone: 'Asia/Tokyo' }).where('id', '=', f.fleetA).execute();
    rows = await rollup();
    expect(rows).toEqual(await scan());
    expect(dayOf(rows, taxi.A1, '2026-06-02', driver.ana)).toMatchObject({ trips: 2 });
  });

  it('marks the taxi-days a trip write changes and recounts them when read, one fleet at a time', async () => {
    const { taxi } = f;
    await rollup();
    const before = await stored();
    // An open trip saved again with more metres (every fix batch does this): only a mark is written.
    await save(taxi.A2, [trip('2026-06-03T08:00:00Z', 3, 10)]);
    await save(taxi.A2, [trip('2026-06-03T08:00:00Z', 4.5, 14)]);
    await save(taxi.B1, [trip('2026-06-03T07:00:00Z', 9, 20)], f.fleetB);
    expect(await staleDays()).toEqual([`${taxi.A2} 2026-06-03`, `${taxi.B1} 2026-06-03`]);
    expect(await stored()).toEqual(before);
    // Fleet A's read recounts fleet A's days only.
    expect(await refreshTripDays(db(), f.fleetA)).toBe(1);
    expect(await staleDays()).toEqual([`${taxi.B1} 2026-06-03`]);
    expect(dayOf(await stored(), taxi.A2, '2026-06-03', null)).toMatchObject({ trips: 1, m: 4500, s: 840 });
    expect(dayOf(await stored(), taxi.B1, '2026-06-03', null)).toBeUndefined();
    // The minute job's refresh takes every fleet; a second finds nothing.
    expect(await refreshTripDays(db())).toBe(1);
    expect(await refreshTripDays(db())).toBe(0);
    expect(await stored()).toEqual(await scan());
  });

  // Two connections at once: Postgres only (PGlite has one).
  if (database === 'postgres') it('never loses a concurrent trip write: a refresh waits for the writer holding a mark, or leaves the mark it cannot see', async () => {
    const { taxi } = f;
    await save(taxi.A2, [trip('2026-06-04T08:00:00Z', 2, 5)]);
    await rollup();
    // A telemetry transaction that has saved the taxi's open trip (so written its mark) and not yet committed.
    const openWriter = async (km: number, minutes: number) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let saved!: () => void;
      const holding = new Promise<void>((resolve) => (saved = resolve));
      const done = db()
        .transaction()
        .execute(async (tx) => {
          await saveVehiclesTrips(tx, [{ vehicle: { fleetId: f.fleetA, vehicleId: taxi.A2 }, trips: [trip('2026-06-04T08:00:00Z', km, minutes)] }], () => f.platform.ids.next());
          saved();
          await released;
        });
      await holding;
      return async () => {
        release();
        await done;
      };
    };
    const settledWithin = async <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

    // The day's mark is committed (an earlier batch) and the writer updates it: the refresh waits, then counts its trip.
    await save(taxi.A2, [trip('2026-06-04T08:00:00Z', 4, 10)]);
    let commit = await openWriter(6, 15);
    const waiting = refreshTripDays(db(), f.fleetA);
    expect(await settledWithin(waiting, 300)).toBe(false);
    await commit();
    expect(await waiting).toBe(1);
    expect(dayOf(await stored(), taxi.A2, '2026-06-04', null)).toMatchObject({ trips: 1, m: 6000, s: 900 });

    // No mark yet: the writer inserts one the refresh cannot see; it stays, and the next read counts the trip.
    commit = await openWriter(8, 20);
    expect(await refreshTripDays(db(), f.fleetA)).toBe(0);
    await commit();
    expect(await staleDays()).toEqual([`${taxi.A2} 2026-06-04`]);
    expect(await refreshTripDays(db(), f.fleetA)).toBe(1);
    expect(dayOf(await stored(), taxi.A2, '2026-06-04', null)).toMatchObject({ trips: 1, m: 8000, s: 1200 });
    expect(await stored()).toEqual(await scan());
  });
});
