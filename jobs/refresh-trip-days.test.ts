/** The minute job recounts every fleet's stale taxi-days (migration 2132), and a second run finds none. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoresFixture, type ScoresFixture } from '../e2e/support/scores-fixture.ts';
import { jobHandlers, schedules } from './index.ts';

describe('refresh-trip-days job', () => {
  let f: ScoresFixture;
  const staleCount = async () => Number((await sql<{ n: number }>`select count(*) as n from trip_days_stale`.execute(f.platform.db.kysely)).rows[0].n);
  const rollupKm = async (vehicleId: string) =>
    Number((await sql<{ m: number }>`select coalesce(sum(distance_m), 0) as m from trip_days where vehicle_id = ${vehicleId}`.execute(f.platform.db.kysely)).rows[0].m) / 1000;

  beforeAll(async () => {
    f = await createScoresFixture({ database: 'pglite', now: '2026-06-03T10:00:00Z' });
  });
  afterAll(() => f?.platform.close());

  it('runs every minute and recounts the days trip writes marked, in every fleet', async () => {
    expect(schedules.find((s) => s.job === 'refresh-trip-days')).toMatchObject({ cron: '* * * * *' });
    await f.trip({ fleetId: f.fleetA, vehicleId: f.taxi.A1, at: '2026-06-02T08:00:00Z', km: 12, minutes: 20 });
    await f.trip({ fleetId: f.fleetB, vehicleId: f.taxi.B1, at: '2026-06-02T09:00:00Z', km: 5, minutes: 10 });
    expect(await staleCount()).toBe(2);
    expect(await rollupKm(f.taxi.A1)).toBe(0);

    const run = jobHandlers(f.platform)['refresh-trip-days'];
    await run(null, { attempt: 1, jobId: 'test' });
    expect(await staleCount()).toBe(0);
    expect(await rollupKm(f.taxi.A1)).toBe(12);
    expect(await rollupKm(f.taxi.B1)).toBe(5);
    await run(null, { attempt: 1, jobId: 'test' });
    expect(await rollupKm(f.taxi.A1)).toBe(12);
  });
});
