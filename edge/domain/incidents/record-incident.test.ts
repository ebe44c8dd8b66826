/**
 * Merging detections into open incidents, with explicit times: within the window one incident grows (occurrences,
 * last seen, highest severity, evidence); outside it, for another type, or after a review, a new one is opened.
 * Concurrent detections on one vehicle are checked on real Postgres, where transactions really overlap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import type { Severity } from '../../db/schema.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { recordIncident, type Detection } from './record-incident.ts';

const onPostgres = await postgresAvailable();
const T0 = Date.parse('2026-06-01T08:00:00Z');
const MIN = 60_000;

async function setUp(database: 'pglite' | 'postgres' = 'pglite') {
  const platform = await createTestPlatform({}, { database });
  const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
  const fleetId = (await createFleet(deps, { name: 'Merge' })).id;
  const vehicleId = (await createVehicle(deps, { fleetId, plate: 'MRG-1' })).id;
  const deviceId = (await createDevice(deps, { vehicleId })).id;
  let n = 0;
  /** A stored frame captured at `at` (evidence must point at a real frame). */
  const frame = async (at: number) => {
    const id = platform.ids.next();
    await platform.db.kysely
      .insertInto('frames')
      .values({ id, fleet_id: fleetId, vehicle_id: vehicleId, device_id: deviceId, blob_key: `frames/${vehicleId}/${++n}.jpg`, captured_at: new Date(at), received_at: new Date(at), size_bytes: 1, width: 1, height: 1, analysis_status: 'done' })
      .execute();
    return id;
  };
  const detect = async (minutes: number, overrides: Partial<Detection> = {}, mergeWindowMinutes = 10) => {
    const at = T0 + minutes * MIN;
    const detection: Detection = { fleetId, vehicleId, type: 'PHONE_USAGE', severity: 'MEDIUM', confidence: 0.7, description: 'phone', source: 'vision', occurredAt: new Date(at), frameId: await frame(at), ...overrides };
    return platform.db.kysely.transaction().execute((tx) => recordIncident(tx, detection, { mergeWindowMs: mergeWindowMinutes * MIN, now: new Date(at + 2_000), newId: () => platform.ids.next() }));
  };
  const incidents = () => platform.db.kysely.selectFrom('incidents').selectAll().where('vehicle_id', '=', vehicleId).orderBy('occurred_at').execute();
  const evidence = (incidentId: string) => platform.db.kysely.selectFrom('incident_frames').select('frame_id').where('incident_id', '=', incidentId).execute();
  const alerts = async () => Number((await platform.db.kysely.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow()).n);
  return { platform, fleetId, vehicleId, detect, incidents, evidence, alerts };
}

describe('recordIncident', () => {
  let platform: TestPlatform | undefined;
  afterEach(async () => {
    await platform?.close();
    platform = undefined;
  });

  it('the same type within the window updates the one open incident: occurrences, last seen, highest severity, evidence', async () => {
    const t = await setUp();
    platform = t.platform;
    const first = await t.detect(0);
    const second = await t.detect(4, { severity: 'HIGH', confidence: 0.9 });
    const third = await t.detect(12, { severity: 'LOW', confidence: 0.5 }); // 8 min after the last sighting
    expect(first.kind).toBe('created');
    expect(second).toMatchObject({ kind: 'merged', incidentId: first.incidentId, occurrences: 2, severity: 'HIGH', previousSeverity: 'MEDIUM', status: 'open' });
    expect(third).toMatchObject({ kind: 'merged', incidentId: first.incidentId, occurrences: 3, severity: 'HIGH' });
    const [incident, ...others] = await t.incidents();
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ occurrences: 3, severity: 'HIGH', confidence: expect.closeTo(0.9, 5) });
    expect(incident!.occurred_at.getTime()).toBe(T0);
    expect(incident!.last_seen_at.getTime()).toBe(T0 + 12 * MIN);
    expect(await t.evidence(first.incidentId)).toHaveLength(3);
    expect(await t.alerts()).toBe(1);
  });

  it('opens a new incident once the window since the last sighting has passed', async () => {
    const t = await setUp();
    platform = t.platform;
    const first = await t.detect(0);
    const later = await t.detect(10 + 1 / 60); // 10 min 1 s after
    expect(later.kind).toBe('created');
    expect(later.incidentId).not.toBe(first.incidentId);
    expect(await t.alerts()).toBe(2);
  });

  it('another type, or another vehicle, is another incident', async () => {
    const t = await setUp();
    platform = t.platform;
    await t.detect(0);
    expect((await t.detect(1, { type: 'DROWSINESS' })).kind).toBe('created');
    const otherVehicle = (await createVehicle({ db: t.platform.db.kysely, clock: t.platform.clock, ids: t.platform.ids }, { fleetId: t.fleetId, plate: 'MRG-2' })).id;
    expect((await t.detect(2, { vehicleId: otherVehicle, frameId: null })).kind).toBe('created');
  });

  it('an acknowledged incident keeps growing; a resolved or dismissed one is closed, and a new one opens', async () => {
    const t = await setUp();
    platform = t.platform;
    const first = await t.detect(0);
    const setStatus = (status: 'acknowledged' | 'resolved' | 'false_positive', id: string) => t.platform.db.kysely.updateTable('incidents').set({ status }).where('id', '=', id).execute();
    await setStatus('acknowledged', first.incidentId);
    expect(await t.detect(1)).toMatchObject({ kind: 'merged', status: 'acknowledged' });
    await setStatus('false_positive', first.incidentId);
    const next = await t.detect(2);
    expect(next.kind).toBe('created');
    await setStatus('resolved', next.incidentId);
    expect((await t.detect(3)).kind).toBe('created');
  });

  it('a late detection (a frame uploaded late) joins the incident it falls in without moving last seen back', async () => {
    const t = await setUp();
    platform = t.platform;
    const first = await t.detect(5);
    const late = await t.detect(1);
    expect(late).toMatchObject({ kind: 'merged', incidentId: first.incidentId });
    const [incident] = await t.incidents();
    expect(incident!.last_seen_at.getTime()).toBe(T0 + 5 * MIN);
  });

  it('a window of 0 turns merging off', async () => {
    const t = await setUp();
    platform = t.platform;
    await t.detect(0, {}, 0);
    expect((await t.detect(0.1, {}, 0)).kind).toBe('created');
  });

  it('severities only go up', async () => {
    const t = await setUp();
    platform = t.platform;
    const order: Severity[] = ['CRITICAL', 'LOW', 'HIGH'];
    let last;
    for (const [i, severity] of order.entries()) last = await t.detect(i, { severity });
    expect(last).toMatchObject({ kind: 'merged', severity: 'CRITICAL' });
  });

  it.skipIf(!onPostgres)('on Postgres, detections of one vehicle arriving at once open a single incident', async () => {
    const t = await setUp('postgres');
    platform = t.platform;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => t.detect(i * 0.1)));
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
    const [incident, ...others] = await t.incidents();
    expect(others).toHaveLength(0);
    expect(incident!.occurrences).toBe(6);
    expect(await t.alerts()).toBe(1);
  });
});
