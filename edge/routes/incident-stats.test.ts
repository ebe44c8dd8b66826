/** False-positive statistics from a known set of incidents, on PGlite and on the real Postgres (count types differ there). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';

type Status = 'open' | 'acknowledged' | 'resolved' | 'false_positive';
type Reason = 'misdetection' | 'glare' | 'camera_misaligned' | null;
interface Known { id: string; vehicle: 'A1' | 'A2' | 'B'; type: string; status: Status; reason?: Reason; second: number }

const KNOWN: Known[] = [
  { id: 's1', vehicle: 'A1', type: 'PHONE_USAGE', status: 'open', second: 10 },
  { id: 's2', vehicle: 'A1', type: 'PHONE_USAGE', status: 'false_positive', reason: 'misdetection', second: 20 },
  { id: 's3', vehicle: 'A1', type: 'PHONE_USAGE', status: 'resolved', second: 30 },
  { id: 's4', vehicle: 'A1', type: 'PHONE_USAGE', status: 'false_positive', reason: 'glare', second: 40 },
  { id: 's5', vehicle: 'A1', type: 'DROWSINESS', status: 'acknowledged', second: 50 },
  { id: 's6', vehicle: 'A2', type: 'PHONE_USAGE', status: 'false_positive', reason: 'camera_misaligned', second: 60 },
  { id: 's7', vehicle: 'A2', type: 'PHONE_USAGE', status: 'open', second: 70 },
  { id: 's8', vehicle: 'A2', type: 'DROWSINESS', status: 'open', second: 80 },
  // Two days earlier: outside the from/to range the tests ask for.
  { id: 's9', vehicle: 'A1', type: 'PHONE_USAGE', status: 'false_positive', reason: 'misdetection', second: -2 * 86_400 },
  // Another fleet's: never counted for fleet A.
  { id: 's10', vehicle: 'B', type: 'PHONE_USAGE', status: 'false_positive', reason: 'glare', second: 15 },
];

/** The figures, worked out the plain way from the list above. */
function expected(rows: Known[]) {
  const total = rows.length;
  const reviewed = rows.filter((r) => r.status !== 'open').length;
  const falsePositive = rows.filter((r) => r.status === 'false_positive').length;
  return { total, reviewed, false_positive: falsePositive, false_positive_rate: reviewed ? Math.round((falsePositive / reviewed) * 10_000) / 10_000 : null };
}

const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('incident statistics on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  const range = `from=${at(0).toISOString()}&to=${at(3600).toISOString()}`;
  const inRangeA = KNOWN.filter((k) => k.vehicle !== 'B' && k.second >= 0);

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    const vehicles = { A1: [f.fleetA, f.vehicleA1], A2: [f.fleetA, f.vehicleA2], B: [f.fleetB, f.vehicleB] } as const;
    for (const k of KNOWN) {
      const [fleetId, vehicleId] = vehicles[k.vehicle];
      await f.addIncident({ id: k.id, fleetId, vehicleId, type: k.type, status: k.status, reasonCode: k.reason ?? null, occurredAt: at(k.second) });
    }
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('counts per type and per vehicle, with the false-positive rate of reviewed incidents', async () => {
    const res = await f.call(f.tokens.ownerA, 'GET', `/api/v1/incidents/stats?${range}`);
    expect(res.status).toBe(200);
    const stats = await res.json();
    expect(stats.overall).toEqual(expected(inRangeA));
    expect(stats.overall).toEqual({ total: 8, reviewed: 5, false_positive: 3, false_positive_rate: 0.6 });
    expect(stats.by_type).toEqual(['DROWSINESS', 'PHONE_USAGE'].map((type) => ({ type, ...expected(inRangeA.filter((k) => k.type === type)) })));
    expect(stats.by_vehicle).toEqual([
      { vehicle_id: f.vehicleA1, plate: 'A-001', ...expected(inRangeA.filter((k) => k.vehicle === 'A1')) },
      { vehicle_id: f.vehicleA2, plate: 'A-002', ...expected(inRangeA.filter((k) => k.vehicle === 'A2')) },
    ]);
    expect(stats.false_positive_reasons).toEqual([
      { reason_code: 'camera_misaligned', count: 1 },
      { reason_code: 'glare', count: 1 },
      { reason_code: 'misdetection', count: 1 },
    ]);
  });

  it.skipIf(!up)('narrows to one vehicle, and without a range counts everything of the fleet', async () => {
    const one = await (await f.call(f.tokens.ownerA, 'GET', `/api/v1/incidents/stats?${range}&vehicle_id=${f.vehicleA2}`)).json();
    expect(one.overall).toEqual(expected(inRangeA.filter((k) => k.vehicle === 'A2')));
    expect(one.by_type.find((t: { type: string }) => t.type === 'DROWSINESS').false_positive_rate).toBeNull();
    const all = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/stats')).json();
    expect(all.overall).toEqual(expected(KNOWN.filter((k) => k.vehicle !== 'B')));
  });

  it.skipIf(!up)('keeps fleets apart; admins choose a fleet or see all', async () => {
    const b = await (await f.call(f.tokens.ownerB, 'GET', '/api/v1/incidents/stats')).json();
    expect(b.overall).toEqual(expected(KNOWN.filter((k) => k.vehicle === 'B')));
    expect((await f.call(f.tokens.ownerB, 'GET', `/api/v1/incidents/stats?vehicle_id=${f.vehicleA1}`)).status).toBe(404);
    expect((await f.call(f.tokens.ownerB, 'GET', `/api/v1/incidents/stats?fleet_id=${f.fleetA}`)).status).toBe(404);
    const adminA = await (await f.call(f.tokens.admin, 'GET', `/api/v1/incidents/stats?fleet_id=${f.fleetA}`)).json();
    expect(adminA.overall).toEqual(expected(KNOWN.filter((k) => k.vehicle !== 'B')));
    const adminAll = await (await f.call(f.tokens.admin, 'GET', '/api/v1/incidents/stats')).json();
    expect(adminAll.overall).toEqual(expected(KNOWN));
    expect((await f.call(f.tokens.admin, 'GET', `/api/v1/incidents/stats?fleet_id=${f.fleetB}&vehicle_id=${f.vehicleA1}`)).status).toBe(404);
    expect((await f.call(f.tokens.admin, 'GET', '/api/v1/incidents/stats?fleet_id=no-such-fleet')).status).toBe(404);
  });

  it.skipIf(!up)('answers bad filters with 400', async () => {
    for (const query of ['from=yesterday', `from=${at(10).toISOString()}&to=${at(0).toISOString()}`, 'vehicle_id=', 'limit=3']) {
      const res = await f.call(f.tokens.ownerA, 'GET', `/api/v1/incidents/stats?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    expect((await f.call(null, 'GET', '/api/v1/incidents/stats')).status).toBe(401);
  });
});
