/** coaching_due: a driver newly in the weekly queue is announced once on the live feed and to webhooks; reruns add nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScoresFixture, type ScoresFixture } from '../e2e/support/scores-fixture.ts';
import { coachingDue } from './coaching-due.ts';

describe('coaching-due job', () => {
  let f: ScoresFixture;
  beforeAll(async () => {
    f = await createScoresFixture({ now: '2026-06-03T10:00:00Z' });
    await f.stint({ fleetId: f.fleetA, vehicleId: f.taxi.A1, driverId: f.driver.ana, from: '2026-05-01T00:00:00Z' });
    await f.trip({ fleetId: f.fleetA, vehicleId: f.taxi.A1, at: '2026-06-01T08:00:00Z', km: 40, minutes: 60 });
    await f.incident({
      id: 'cd-crit',
      fleetId: f.fleetA,
      vehicleId: f.taxi.A1,
      at: '2026-06-01T08:30:00Z',
      type: 'ACCIDENT',
      severity: 'CRITICAL',
    });
    const hook = await f.call(f.tokens.ownerA, 'POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      event_types: ['coaching_due'],
    });
    expect(hook.status).toBe(201);
  });
  afterAll(() => f?.platform.close());

  it('announces Ana once per week, with her reasons', async () => {
    const run = () => coachingDue(f.platform, {}, { attempt: 1 } as never);
    await run();
    await run();
    const events = (await f.platform.bus.replay(f.fleetA, null, 1000)).filter((e) => e.type === 'coaching_due');
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        driver_id: f.driver.ana,
        name: 'Ana',
        first_day: '2026-06-01',
        reasons: ['critical_incident'],
        critical_incidents: 1,
      }),
    ]);
    const deliveries = await f.platform.db.kysely
      .selectFrom('webhook_deliveries')
      .select('event_type')
      .where('fleet_id', '=', f.fleetA)
      .execute();
    expect(deliveries).toEqual([{ event_type: 'coaching_due' }]);
    expect(await f.platform.bus.replay(f.fleetB, null, 1000)).toEqual([]);
  });
});
