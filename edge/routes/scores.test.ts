/**
 * Scores and coaching through the API, on PGlite and the real Postgres, with hand-computed expectations.
 *
 * Fleet A is in Europe/Madrid (UTC+2 in June). The clock reads Wednesday 2026-06-03 12:00 local.
 *   Stints: Bruno drives A1 until 1 Jun 05:00Z; Ana drives A1 05:00Z–10:00Z then changes to A2 at 10:00Z; Bruno
 *           drives A1 again from 10:00Z. Nobody stores driver_id on trips or incidents: attribution comes from stints.
 *   Trips:  A1 28 May 10:00Z 100 km 120 min (Bruno, previous week, clean)
 *           A1 1 Jun 06:00Z 40 km 60 min (Ana) · A2 1 Jun 11:00Z 60 km 60 min (Ana, after her change)
 *           A1 1 Jun 12:00Z 50 km 30 min (Bruno) · A1 1 Jun 21:30Z = 23:30 local, 10 km 30 min (Bruno, still 1 June)
 *           A1 1 Jun 22:30Z = 2 Jun 00:30 local, 25 km 30 min (Bruno, 2 June)
 *   Incidents: A1 07:00Z PHONE_USAGE HIGH (Ana, 4×3 = 12) · A2 11:30Z HARSH_BRAKING MEDIUM acknowledged (Ana, 2×2 = 4)
 *           A2 11:40Z DROWSINESS CRITICAL (Ana, 5×5 = 25) — later marked a false positive
 *           A1 12:30Z SPEEDING LOW, until 12:33Z (Bruno, 3 minutes) · A1 22:40Z HARSH_ACCELERATION LOW (Bruno, 2 June, 2)
 *           A1 22:50Z PHONE_USAGE LOW (Bruno, 2 June, 4)
 * Carla never drives. Fleet B's Berta drives B1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoresFixture, type ScoresFixture } from '../../e2e/support/scores-fixture.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';

const backends = [
  { database: 'pglite' as const },
  ...((await postgresAvailable()) ? [{ database: 'postgres' as const }] : []),
];

describe.each(backends)('safety scores on $database', ({ database }) => {
  let f: ScoresFixture;
  const json = async (res: Response | Promise<Response>, status = 200) => {
    const r = await res;
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const scoreOf = (body: { drivers: Array<{ id: string; score: number | null }> }, id: string) =>
    body.drivers.find((d) => d.id === id);

  beforeAll(async () => {
    f = await createScoresFixture({ database, now: '2026-06-03T10:00:00Z' });
    const { fleetA: A, taxi, driver } = f;
    await f.stint({
      fleetId: A,
      vehicleId: taxi.A1,
      driverId: driver.bruno,
      from: '2026-05-20T00:00:00Z',
      to: '2026-06-01T05:00:00Z',
    });
    await f.stint({
      fleetId: A,
      vehicleId: taxi.A1,
      driverId: driver.ana,
      from: '2026-06-01T05:00:00Z',
      to: '2026-06-01T10:00:00Z',
    });
    await f.stint({ fleetId: A, vehicleId: taxi.A2, driverId: driver.ana, from: '2026-06-01T10:00:00Z' });
    await f.stint({ fleetId: A, vehicleId: taxi.A1, driverId: driver.bruno, from: '2026-06-01T10:00:00Z' });
    await f.trip({ fleetId: A, vehicleId: taxi.A1, at: '2026-05-28T10:00:00Z', km: 100, minutes: 120 });
    await f.trip({ fleetId: A, vehicleId: taxi.A1, at: '2026-06-01T06:00:00Z', km: 40, minutes: 60 });
    await f.trip({ fleetId: A, vehicleId: taxi.A2, at: '2026-06-01T11:00:00Z', km: 60, minutes: 60 });
    await f.trip({ fleetId: A, vehicleId: taxi.A1, at: '2026-06-01T12:00:00Z', km: 50, minutes: 30 });
    await f.trip({ fleetId: A, vehicleId: taxi.A1, at: '2026-06-01T21:30:00Z', km: 10, minutes: 30 });
    await f.trip({ fleetId: A, vehicleId: taxi.A1, at: '2026-06-01T22:30:00Z', km: 25, minutes: 30 });
    await f.incident({
      id: 'sc-phone',
      fleetId: A,
      vehicleId: taxi.A1,
      at: '2026-06-01T07:00:00Z',
      type: 'PHONE_USAGE',
      severity: 'HIGH',
    });
    await f.incident({
      id: 'sc-brake',
      fleetId: A,
      vehicleId: taxi.A2,
      at: '2026-06-01T11:30:00Z',
      type: 'HARSH_BRAKING',
      severity: 'MEDIUM',
      status: 'acknowledged',
    });
    await f.incident({
      id: 'sc-drowsy',
      fleetId: A,
      vehicleId: taxi.A2,
      at: '2026-06-01T11:40:00Z',
      type: 'DROWSINESS',
      severity: 'CRITICAL',
    });
    await f.incident({
      id: 'sc-speed',
      fleetId: A,
      vehicleId: taxi.A1,
      at: '2026-06-01T12:30:00Z',
      lastSeen: '2026-06-01T12:33:00Z',
      type: 'SPEEDING',
      severity: 'LOW',
    });
    await f.incident({
      id: 'sc-accel',
      fleetId: A,
      vehicleId: taxi.A1,
      at: '2026-06-01T22:40:00Z',
      type: 'HARSH_ACCELERATION',
      severity: 'LOW',
    });
    await f.incident({
      id: 'sc-phone2',
      fleetId: A,
      vehicleId: taxi.A1,
      at: '2026-06-01T22:50:00Z',
      type: 'PHONE_USAGE',
      severity: 'LOW',
    });
    await f.stint({ fleetId: f.fleetB, vehicleId: taxi.B1, driverId: driver.berta, from: '2026-05-01T00:00:00Z' });
    await f.trip({ fleetId: f.fleetB, vehicleId: taxi.B1, at: '2026-06-01T09:00:00Z', km: 30, minutes: 45 });
  });
  afterAll(() => f?.platform.close());

  it('counts an incident until it is marked a false positive', async () => {
    // Ana, 1 June: 100 km over two taxis; 12 (phone) + 4 (braking) + 25 (drowsiness) per 100 km → 59.
    let days = await json(
      f.call(f.tokens.ownerA, 'GET', `/api/v1/drivers/${f.driver.ana}/scores?period=day&from=2026-06-01&to=2026-06-01`),
    );
    expect(days.series[0]).toMatchObject({ first_day: '2026-06-01', score: 59, km: 100, hours: 2, incidents: 3 });
    const queue = await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/coaching/queue?period=week'));
    expect(queue.data.find((q: { driver_id: string }) => q.driver_id === f.driver.ana)).toMatchObject({
      reasons: ['critical_incident'],
      critical_incidents: 1,
    });

    await json(
      f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/sc-drowsy', {
        status: 'false_positive',
        reason_code: 'misdetection',
      }),
    );
    // 100 − 12 − 4 = 84, and she leaves the coaching queue.
    days = await json(
      f.call(f.tokens.ownerA, 'GET', `/api/v1/drivers/${f.driver.ana}/scores?period=day&from=2026-06-01&to=2026-06-01`),
    );
    expect(days.series[0]).toMatchObject({ score: 84, incidents: 2 });
    const lines = Object.fromEntries(days.series[0].breakdown.map((b: { category: string }) => [b.category, b]));
    expect(lines.phone).toEqual({ category: 'phone', events: 1, points: 12, rate: 12, penalty: 12 });
    expect(lines.harsh).toEqual({ category: 'harsh', events: 1, points: 4, rate: 4, penalty: 4 });
    expect(lines.drowsiness).toMatchObject({ events: 0, penalty: 0 });
    const after = await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/coaching/queue?period=week'));
    expect(after.data.map((q: { driver_id: string }) => q.driver_id)).not.toContain(f.driver.ana);
  });

  it('splits a driver who changed taxis mid-day and cuts days at local midnight', async () => {
    const bruno = await json(
      f.call(
        f.tokens.ownerA,
        'GET',
        `/api/v1/drivers/${f.driver.bruno}/scores?period=day&from=2026-06-01&to=2026-06-02`,
      ),
    );
    // 1 June local: 50 + 10 km (the 23:30 local trip) in 1 h; speeding 3 min/h × 2 = 6 → 94. Ana's morning on A1 is not his.
    expect(bruno.series[0]).toMatchObject({ first_day: '2026-06-01', score: 94, km: 60, hours: 1 });
    // 2 June local (00:30): 25 km; (2 + 4) points ÷ 25 km × 100 = 24 → 76; trend 76 − 94.
    expect(bruno.series[1]).toMatchObject({ first_day: '2026-06-02', score: 76, km: 25, trend: -18 });
    const ana = await json(
      f.call(f.tokens.ownerA, 'GET', `/api/v1/drivers/${f.driver.ana}/scores?period=day&from=2026-06-01&to=2026-06-02`),
    );
    // Ana's 40 km on A1 before her change and 60 km on A2 after it.
    expect(ana.series.map((p: { km: number }) => p.km)).toEqual([100, 0]);
    expect(ana.series[1]).toMatchObject({ score: null, reason: 'no_driving' });
  });

  it('gives a driver with zero km no score, with a reason', async () => {
    const carla = await json(
      f.call(
        f.tokens.ownerA,
        'GET',
        `/api/v1/drivers/${f.driver.carla}/scores?period=week&from=2026-06-01&to=2026-06-07`,
      ),
    );
    expect(carla.series).toEqual([
      expect.objectContaining({
        first_day: '2026-06-01',
        last_day: '2026-06-07',
        score: null,
        reason: 'no_driving',
        km: 0,
        trend: null,
      }),
    ]);
    expect(carla.latest).toMatchObject({ percentile: null, rank: null, drivers_scored: 2 });
  });

  it('ranks the fleet by week with trend, percentile, taxis and recognition', async () => {
    const board = await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/scores?period=week'));
    expect(board.current).toEqual({ first_day: '2026-06-01', last_day: '2026-06-07' });
    // Ana: 84 (week = her one day), no previous week. Bruno: 85 km, 1.5 h: phone 4/85×100 = 4.71, harsh 2.35,
    // speeding 3 min ÷ 1.5 h × 2 = 4 → 100 − 11.06 → 89; last week 100 → trend −11.
    expect(scoreOf(board, f.driver.ana)).toMatchObject({ score: 84, trend: null, percentile: 25, rank: 2 });
    expect(scoreOf(board, f.driver.bruno)).toMatchObject({
      score: 89,
      previous_score: 100,
      trend: -11,
      percentile: 75,
      rank: 1,
    });
    expect(scoreOf(board, f.driver.carla)).toMatchObject({ score: null, reason: 'no_driving' });
    expect(board.drivers.map((d: { name: string }) => d.name)).toEqual(['Bruno', 'Ana', 'Carla']);
    // Taxis need no attribution. A1: 125 km, 2.5 h; phone (12 + 4)/125 = 12.8, harsh 1.6, speeding 1.2/h × 2 = 2.4 → 83.
    // A2: 60 km; braking 4/60 × 100 = 6.67 → 93 (the drowsiness is a false positive).
    expect(board.taxis.map((t: { name: string; score: number }) => [t.name, t.score])).toEqual([
      ['A-002', 93],
      ['A-001', 83],
    ]);
    // Today is 3 June: Ana's last counted incident was on 1 June (2 clean days since), Bruno's on 2 June.
    expect(board.recognition).toEqual({
      most_improved: null,
      longest_streak: { driver_id: f.driver.ana, name: 'Ana', days: 2, at_least: false },
    });
    expect(board.formula.type_weights.PHONE_USAGE).toEqual({ category: 'phone', weight: 4 });
  });

  it('queues a falling driver, records a session once per Idempotency-Key, and shows the score before and after', async () => {
    const queue = await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/coaching/queue'));
    expect(queue.data).toEqual([
      expect.objectContaining({
        driver_id: f.driver.bruno,
        reasons: ['score_drop'],
        trend: -11,
        last_session_at: null,
      }),
    ]);
    const body = {
      incident_ids: ['sc-phone2'],
      notes: 'Phone in the holder',
      agreed_action: 'Hands-free only',
      follow_up_on: '2026-06-17',
    };
    const first = await json(
      f.call(f.tokens.ownerA, 'POST', `/api/v1/drivers/${f.driver.bruno}/coaching-sessions`, body, {
        'idempotency-key': 'k-1',
      }),
      201,
    );
    const again = await json(
      f.call(f.tokens.ownerA, 'POST', `/api/v1/drivers/${f.driver.bruno}/coaching-sessions`, body, {
        'idempotency-key': 'k-1',
      }),
      200,
    );
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({
      notes: 'Phone in the holder',
      agreed_action: 'Hands-free only',
      follow_up_on: '2026-06-17',
      created_by_email: 'owner@scores-a.test',
      incidents: [{ id: 'sc-phone2', type: 'PHONE_USAGE', severity: 'LOW' }],
    });
    // Before: 6 May – 2 June = last week's 100 km + this week's 85 km in 3.5 h:
    // phone 4/185 × 100 = 2.16, harsh 1.08, speeding 3 ÷ 3.5 × 2 = 1.71 → 95.05 → 95. After: nothing driven since 3 June.
    expect(first.score_before).toMatchObject({ first_day: '2026-05-06', last_day: '2026-06-02', score: 95, km: 185 });
    expect(first.score_after).toMatchObject({
      first_day: '2026-06-03',
      last_day: '2026-06-03',
      score: null,
      reason: 'no_driving',
    });
    const list = await json(f.call(f.tokens.ownerA, 'GET', `/api/v1/drivers/${f.driver.bruno}/coaching-sessions`));
    expect(list.data.map((s: { id: string }) => s.id)).toEqual([first.id]);
    expect((await json(f.call(f.tokens.ownerA, 'GET', '/api/v1/coaching/queue'))).data).toEqual([]);
  });

  it("keeps fleets apart: B sees none of A's drivers, scores or incidents", async () => {
    await json(f.call(f.tokens.ownerB, 'GET', `/api/v1/drivers/${f.driver.ana}/scores`), 404);
    await json(f.call(f.tokens.ownerB, 'GET', `/api/v1/drivers/${f.driver.ana}/coaching-sessions`), 404);
    await json(
      f.call(f.tokens.ownerB, 'POST', `/api/v1/drivers/${f.driver.ana}/coaching-sessions`, { notes: 'x' }),
      404,
    );
    const wrongIncident = await json(
      f.call(f.tokens.ownerB, 'POST', `/api/v1/drivers/${f.driver.berta}/coaching-sessions`, {
        notes: 'x',
        incident_ids: ['sc-phone'],
      }),
      404,
    );
    expect(wrongIncident.error.message).toContain('sc-phone');
    const board = await json(f.call(f.tokens.ownerB, 'GET', '/api/v1/scores?period=week&date=2026-06-01'));
    expect(board.drivers.map((d: { name: string }) => d.name)).toEqual(['Berta']);
    expect(board.drivers[0]).toMatchObject({ score: 100, km: 30 });
    expect(board.taxis.map((t: { name: string }) => t.name)).toEqual(['B-001']);
    await json(f.call(f.tokens.ownerB, 'GET', `/api/v1/scores?fleet_id=${f.fleetA}`), 404);
  });

  it('answers 400 naming the bad field, and viewers only read', async () => {
    const bad = async (path: string, field: string, method = 'GET', body?: unknown) => {
      const res = await json(f.call(f.tokens.ownerA, method, path, body), 400);
      expect(res.error.details.map((d: { path: string }) => d.path)).toContain(field);
    };
    await bad(`/api/v1/drivers/${f.driver.ana}/scores?period=year`, 'period');
    await bad(`/api/v1/drivers/${f.driver.ana}/scores?from=2026-02-30`, 'from');
    await bad(`/api/v1/drivers/${f.driver.ana}/scores?from=2026-06-05&to=2026-06-01`, 'from');
    await bad(`/api/v1/drivers/${f.driver.ana}/scores?from=2020-01-01&to=2026-06-01`, 'from');
    await bad(`/api/v1/drivers/${f.driver.ana}/scores?colour=red`, '');
    await bad('/api/v1/scores?date=yesterday', 'date');
    await bad('/api/v1/coaching/queue?period=fortnight', 'period');
    await bad(`/api/v1/drivers/${f.driver.ana}/coaching-sessions`, 'follow_up_on', 'POST', {
      notes: 'x',
      follow_up_on: 'next week',
    });
    await bad(`/api/v1/drivers/${f.driver.ana}/coaching-sessions`, 'notes', 'POST', {});
    await json(f.call(f.tokens.viewerA, 'GET', `/api/v1/drivers/${f.driver.ana}/coaching-sessions`));
    await json(
      f.call(f.tokens.viewerA, 'POST', `/api/v1/drivers/${f.driver.ana}/coaching-sessions`, { notes: 'x' }),
      403,
    );
  });
});
