/** Vision spend per day through the API, on PGlite and on Postgres (bigint sums differ there): tenancy, ranges, totals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { addDailyUsage } from '../domain/vision/frame-analysis-store.ts';

const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('vision usage on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  const get = async (token: string, query = '') => {
    const res = await f.call(token, 'GET', `/api/v1/frames/usage${query}`);
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    const db = f.platform.db.kysely;
    const cloud = { modelCall: true, inputTokens: 3_000_000_000, outputTokens: 120, costUsd: 0.0006 };
    const local = { modelCall: false, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    // Fleet A: two frames on 1 June (one sent to the cloud, with a token count past 32 bits), one on 3 June. Fleet B: one.
    await addDailyUsage(db, f.fleetA, new Date('2026-06-01T08:00:00Z'), cloud);
    await addDailyUsage(db, f.fleetA, new Date('2026-06-01T23:59:00Z'), local);
    await addDailyUsage(db, f.fleetA, new Date('2026-06-03T00:00:00Z'), { ...cloud, inputTokens: 900 });
    await addDailyUsage(db, f.fleetB, new Date('2026-06-01T12:00:00Z'), cloud);
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)("gives an owner their fleet's days and totals, and nothing of another fleet", async () => {
    const { status, body } = await get(f.tokens.ownerA, '?from=2026-06-01&to=2026-06-03');
    expect(status).toBe(200);
    expect(body).toEqual({
      fleet_id: f.fleetA,
      from: '2026-06-01',
      to: '2026-06-03',
      days: [
        { day: '2026-06-01', fleet_id: f.fleetA, frames: 2, model_calls: 1, input_tokens: 3_000_000_000, output_tokens: 120, cost_usd: 0.0006 },
        { day: '2026-06-03', fleet_id: f.fleetA, frames: 1, model_calls: 1, input_tokens: 900, output_tokens: 120, cost_usd: 0.0006 },
      ],
      totals: { frames: 3, model_calls: 2, input_tokens: 3_000_000_900, output_tokens: 240, cost_usd: 0.0012 },
    });
    expect((await get(f.tokens.viewerA, '?from=2026-06-02&to=2026-06-02')).body.days).toEqual([]);
    expect((await get(f.tokens.ownerA, `?fleet_id=${f.fleetB}`)).status).toBe(404);
  });

  it.skipIf(!up)('gives an admin every fleet, or one', async () => {
    const all = (await get(f.tokens.admin, '?from=2026-06-01&to=2026-06-01')).body;
    expect(all.fleet_id).toBeNull();
    expect(all.days.map((d: { fleet_id: string }) => d.fleet_id).sort()).toEqual([f.fleetA, f.fleetB].sort());
    expect(all.totals.frames).toBe(3);
    const one = (await get(f.tokens.admin, `?from=2026-06-01&to=2026-06-30&fleet_id=${f.fleetB}`)).body;
    expect(one.totals).toMatchObject({ frames: 1, model_calls: 1 });
    expect((await get(f.tokens.admin, '?fleet_id=no-such-fleet')).status).toBe(404);
  });

  it.skipIf(!up)('defaults to the 30 days up to today and refuses bad ranges with a 400 that says why', async () => {
    const today = new Date(f.platform.clock.now()).toISOString().slice(0, 10);
    const { body } = await get(f.tokens.ownerA);
    expect(body.to).toBe(today);
    expect((Date.parse(body.to) - Date.parse(body.from)) / 86_400_000).toBe(29);
    for (const query of ['?from=2026-02-30', '?from=2026-06-05&to=2026-06-01', '?from=2024-01-01&to=2026-06-01', '?to=yesterday', '?colour=red']) {
      const res = await get(f.tokens.ownerA, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('validation_failed');
    }
  });
});
