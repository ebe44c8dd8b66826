/**
 * Telemetry applied in groups (scheduling: grouped-calls.test.ts): on PGlite and Postgres, a group's
 * trips, incidents, alerts and vehicle states are exactly those of the same batches applied one at a time —
 * including a vehicle whose earlier batches a crash left pending (recomputed inside the group) and one whose batch
 * was already applied.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, UnknownRow } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { describeEachAvailable } from '../../../e2e/support/required-in-ci.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { checkFixes } from '../ingest/fix-input.ts';
import { storeFixes } from '../ingest/store-fixes.ts';
import { applyTelemetry, applyTelemetryGroup, type TelemetryBatch } from './apply-telemetry.ts';
import { drive } from './telemetry-test-drive.ts';
import type { TelemetryFix } from './telemetry-types.ts';

// Hard start, speeding, a hard stop, a wait, a second leg, parking.
const DAY = drive(
  [{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }, { kmh: 30, seconds: 60 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 12 * 60 }],
  { startAt: Date.parse('2026-06-01T07:00:00Z') },
);
const asJson = (f: TelemetryFix) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() });
const BATCHES = Array.from({ length: Math.ceil(DAY.length / 40) }, (_, i) => DAY.slice(i * 40, (i + 1) * 40));

describeEachAvailable([
  { name: 'pglite' as const, available: true },
  { name: 'postgres' as const, available: await postgresAvailable() },
])('telemetry groups on $name', ({ name }) => {
  let platform: TestPlatform;
  let fleetId: string;
  beforeEach(async () => {
    platform = await createTestPlatform({ INCIDENT_MERGE_WINDOW_MINUTES: '0' }, { database: name });
    fleetId = (await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Groups', speedLimitKmh: 50 })).id;
  });
  afterEach(() => platform.close());

  const newTaxi = async (plate: string) => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
    const device = { deviceId: (await createDevice(deps, { vehicleId })).id, vehicleId, fleetId };
    // Stored as the pipeline stores them (screening is not what is under test).
    const store = (fixes: TelemetryFix[]) => storeFixes(platform, device, checkFixes(fixes.map(asJson), platform.clock.now()).fixes);
    return { vehicleId, device, store };
  };
  const outcome = async (vehicleId: string) => {
    const db = platform.db.kysely;
    const trips = await db.selectFrom('trips').select(['id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count']).where('vehicle_id', '=', vehicleId).orderBy('started_at').execute();
    const tripStart = new Map(trips.map((t) => [t.id, t.started_at.toISOString()]));
    const incidents = await db.selectFrom('incidents').select(['type', 'severity', 'occurred_at', 'trip_id']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').orderBy('type').execute();
    const alerts = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    const state = await db.selectFrom('vehicle_telemetry').select(['state', 'processed_until', 'status']).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    return {
      trips: trips.map(({ id: _id, ...t }) => ({ ...t, started_at: t.started_at.toISOString(), ended_at: t.ended_at?.toISOString() ?? null })),
      incidents: incidents.map((i) => ({ ...i, occurred_at: i.occurred_at.toISOString(), trip_id: i.trip_id ? tripStart.get(i.trip_id) : null })),
      alerts: Number(alerts.n),
      state,
    };
  };

  it('records what applying each batch alone records, for live batches, a crash to recover and an applied batch', async () => {
    // Reference: one taxi, every batch applied alone as it is stored.
    const alone = await newTaxi('ALONE');
    for (const fixes of BATCHES) {
      const stored = await alone.store(fixes);
      await applyTelemetry(platform, alone.device, stored.inserted, { pending: { batch: stored.pending! } });
    }
    const expected = await outcome(alone.vehicleId);
    expect(expected.trips.length).toBeGreaterThanOrEqual(1);
    expect(expected.incidents.length).toBeGreaterThanOrEqual(3);

    // Three taxis drive the same day, their batches applied together, one group per batch index. `crash` loses
    // the work of its batches 1 and 2 after storing them; `twice` has batch 6 applied by someone else first.
    const [live, crash, twice] = [await newTaxi('LIVE'), await newTaxi('CRASH'), await newTaxi('TWICE')];
    let recomputed = 0;
    for (let i = 0; i < BATCHES.length; i++) {
      const group: TelemetryBatch[] = [];
      for (const taxi of [live, crash, twice]) {
        const stored = await taxi.store(BATCHES[i]);
        if (taxi === crash && (i === 1 || i === 2)) continue;
        if (taxi === twice && i === 6) await applyTelemetry(platform, taxi.device, stored.inserted, { pending: { batch: stored.pending! } });
        group.push({ device: taxi.device, fixes: stored.inserted, options: { pending: { batch: stored.pending! } } });
      }
      const outcomes = await applyTelemetryGroup(platform, group);
      if (i === 3) recomputed = outcomes[1].recomputedFrom ?? 0;
      if (i === 6) expect(outcomes[2]).toMatchObject({ newIncidents: [], statusChange: null, recomputedFrom: null });
    }
    // The crashed taxi's group recomputed its trip from its start, within batch 0.
    expect(recomputed).toBeGreaterThanOrEqual(BATCHES[0][0].at);
    expect(recomputed).toBeLessThan(BATCHES[1][0].at);
    for (const taxi of [live, crash, twice]) expect(await outcome(taxi.vehicleId)).toEqual(expected);
    expect(await platform.db.kysely.selectFrom('pending_telemetry').selectAll().execute()).toEqual([]);
  });

  it('lets a group commit without waiting for the disk only when it has nothing to announce and recomputed nothing', async () => {
    // What each group's save statement asked for (its relaxed-commit parameter), read from the compiled statements.
    const asked: boolean[] = [];
    const executor = platform.db.kysely.getExecutor();
    const recorder: KyselyPlugin = {
      transformQuery({ node, queryId }: PluginTransformQueryArgs) {
        const { sql, parameters } = executor.compileQuery(node, queryId);
        const relaxed = /\$(\d+)::boolean THEN set_config\('synchronous_commit'/.exec(sql);
        if (relaxed) asked.push(parameters[Number(relaxed[1]) - 1] as boolean);
        return node;
      },
      transformResult: async ({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => result,
    };
    const recording = { ...platform, db: { ...platform.db, kysely: platform.db.kysely.withPlugin(recorder) } };
    const taxi = await newTaxi('QUIET');
    // Under the fleet's 50 km/h: a start (a change of motion), then a steady run, then a late batch.
    const run = drive([{ kmh: 30, seconds: 20 }, { kmh: 30, seconds: 60 }]);
    const apply = async (fixes: TelemetryFix[]) => {
      const stored = await taxi.store(fixes);
      return applyTelemetryGroup(recording, [{ device: taxi.device, fixes: stored.inserted, options: { pending: { batch: stored.pending! } } }]);
    };
    const [start] = await apply(run.slice(0, 10).concat(run.slice(30, 40)));
    expect(start.statusChange).not.toBeNull();
    const [steady] = await apply(run.slice(40, 60));
    expect(steady).toMatchObject({ newIncidents: [], statusChange: null, recomputedFrom: null });
    const [late] = await apply(run.slice(10, 30));
    expect(late.recomputedFrom).not.toBeNull();
    expect(asked).toEqual([false, true, false]);
    // Relaxed or not, each committed what it computed.
    expect(await platform.db.kysely.selectFrom('pending_telemetry').selectAll().execute()).toEqual([]);
    const state = await platform.db.kysely.selectFrom('vehicle_telemetry').select('processed_until').where('vehicle_id', '=', taxi.vehicleId).executeTakeFirstOrThrow();
    expect(state.processed_until?.getTime()).toBe(run[59].at);
  });

  it('refuses a group holding two batches of one vehicle', async () => {
    const taxi = await newTaxi('DUP');
    const stored = await taxi.store(BATCHES[0]);
    const batch = { device: taxi.device, fixes: stored.inserted, options: { pending: { batch: stored.pending! } } };
    await expect(applyTelemetryGroup(platform, [batch, batch])).rejects.toThrow(/one batch per vehicle/);
  });
});
