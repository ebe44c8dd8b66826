/**
 * The whole fix pipeline through the app, on PGlite and on Postgres: a recorded-style drive sent live, sent twice,
 * and sent as a late backlog must give the same trips and incidents; a failing telemetry step is repaired by a job.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createApp } from '../../app.ts';
import { jobHandlers } from '../../../jobs/index.ts';
import type { LiveEvent } from '../../ports/bus.ts';
import { recordIncident } from '../incidents/record-incident.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { drive } from '../telemetry/telemetry-test-drive.ts';
import type { TelemetryFix } from '../telemetry/telemetry-types.ts';

// Starts an hour before the test clock (08:00): hard start, speeding, a hard stop, a long wait, a second leg, parking.
const DAY = drive(
  [{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }, { kmh: 30, seconds: 60 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 12 * 60 }],
  { startAt: Date.parse('2026-06-01T07:00:00Z') },
);
const asJson = (f: TelemetryFix) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() });
const batches = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const databases = [{ name: 'pglite' as const, available: true }, { name: 'postgres' as const, available: await postgresAvailable() }];

for (const database of databases) {
  describe.skipIf(!database.available)(`fix pipeline on ${database.name}`, () => {
    let platform: TestPlatform;
    let app: ReturnType<typeof createApp>;
    let fleetId: string;

    const newTaxi = async (plate: string) => {
      const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      const { key } = await createDevice(deps, { vehicleId });
      const send = async (fixes: TelemetryFix[]) => {
        const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: fixes.map(asJson) }) });
        expect(res.status).toBe(202);
        return (await res.json()) as { stored: number; duplicates: number };
      };
      return { vehicleId, send };
    };
    const outcome = async (vehicleId: string) => {
      const db = platform.db.kysely;
      const trips = await db.selectFrom('trips').select(['id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count']).where('vehicle_id', '=', vehicleId).orderBy('started_at').execute();
      const incidents = await db.selectFrom('incidents').select(['type', 'severity', 'occurred_at', 'trip_id', 'description']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').orderBy('type').execute();
      const alerts = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
      const tripStart = new Map(trips.map((t) => [t.id, t.started_at.toISOString()]));
      return {
        trips: trips.map(({ id: _id, ...t }) => ({ ...t, started_at: t.started_at.toISOString(), ended_at: t.ended_at?.toISOString() ?? null })),
        incidents: incidents.map((i) => ({ ...i, occurred_at: i.occurred_at.toISOString(), trip_id: i.trip_id ? tripStart.get(i.trip_id) : null })),
        alerts: Number(alerts.n),
      };
    };

    beforeEach(async () => {
      // One incident per detection here, so the drive's incidents compare one to one; merging detections into open
      // incidents has its own tests (edge/domain/incidents/telemetry-occurrences.test.ts).
      platform = await createTestPlatform({ INCIDENT_MERGE_WINDOW_MINUTES: '0' }, { database: database.name });
      app = createApp(platform);
      fleetId = (await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Pipeline', speedLimitKmh: 50 })).id;
    });
    afterEach(() => platform.close());

    it('turns a drive sent live in batches of 10 into one trip, its incidents and alerts, announced live', async () => {
      const taxi = await newTaxi('PL-1');
      const events: LiveEvent[] = [];
      await platform.bus.subscribe(fleetId, (e) => events.push(e));
      for (const batch of batches(DAY, 10)) await taxi.send(batch);
      const result = await outcome(taxi.vehicleId);
      expect(result.trips).toHaveLength(1);
      expect(result.trips[0]).toMatchObject({ started_at: '2026-06-01T07:00:01.000Z', incident_count: 5 });
      expect(result.trips[0].ended_at).not.toBeNull();
      expect(result.incidents.map((i) => i.type)).toEqual(['HARSH_ACCELERATION', 'SPEEDING', 'HARSH_BRAKING', 'IDLING', 'IDLING']);
      expect(result.incidents.every((i) => i.trip_id === '2026-06-01T07:00:01.000Z')).toBe(true);
      expect(result.alerts).toBe(5);
      const alerts = events.filter((e) => e.type === 'new_alert').map((e) => (e.data as { type: string; plate: string }));
      expect(alerts.map((a) => a.type)).toEqual(result.incidents.map((i) => i.type));
      expect(alerts[0].plate).toBe('PL-1');
      expect(events.filter((e) => e.type === 'vehicle_status').map((e) => (e.data as { status: string }).status)).toEqual(['moving', 'stopped', 'moving', 'stopped']); // the last change of each batch
    });

    it('stores each fix once and changes nothing when the same drive is replayed', async () => {
      const taxi = await newTaxi('PL-2');
      for (const batch of batches(DAY, 50)) await taxi.send(batch);
      const first = await outcome(taxi.vehicleId);
      const replies = [];
      for (const batch of batches(DAY, 50)) replies.push(await taxi.send(batch));
      expect(replies.every((r) => r.stored === 0 && r.duplicates > 0)).toBe(true);
      expect(await outcome(taxi.vehicleId)).toEqual(first);
    });

    it('gives the same trips and incidents when the middle of the drive arrives hours late, and late fixes create no false events', async () => {
      const live = await newTaxi('PL-3');
      for (const batch of batches(DAY, 10)) await live.send(batch);
      const expected = await outcome(live.vehicleId);

      // The unit lost coverage from 07:01 to 07:20: it kept sending what it could, then uploaded its buffer, oldest first.
      const late = await newTaxi('PL-4');
      const gapStart = DAY.findIndex((f) => f.at >= Date.parse('2026-06-01T07:01:00Z'));
      const gapEnd = DAY.findIndex((f) => f.at >= Date.parse('2026-06-01T07:20:00Z'));
      for (const batch of batches([...DAY.slice(0, gapStart), ...DAY.slice(gapEnd)], 10)) await late.send(batch);
      const beforeBacklog = await outcome(late.vehicleId);
      expect(beforeBacklog.trips).not.toEqual(expected.trips);
      for (const batch of batches(DAY.slice(gapStart, gapEnd), 500)) await late.send(batch);
      expect(await outcome(late.vehicleId)).toEqual(expected);
    });

    it('keeps every incident on its trip when a backlog holds the trip\'s beginning (vision incidents too)', async () => {
      const live = await newTaxi('PL-5');
      for (const batch of batches(DAY, 10)) await live.send(batch);
      const expected = await outcome(live.vehicleId);

      // The unit's first 40 s arrive last: until then the trip seems to start at 07:00:40.
      const late = await newTaxi('PL-6');
      const split = DAY.findIndex((f) => f.at >= Date.parse('2026-06-01T07:00:40Z'));
      for (const batch of batches(DAY.slice(split), 10)) await late.send(batch);
      const [tripBefore] = (await outcome(late.vehicleId)).trips;
      expect(tripBefore.started_at).toBe('2026-06-01T07:00:40.000Z');
      const db = platform.db.kysely;
      const oldTrip = await db.selectFrom('trips').select('id').where('vehicle_id', '=', late.vehicleId).executeTakeFirstOrThrow();
      // A phone seen on camera during the wait at 07:05, placed on that trip by the analyse-frame job.
      await db.transaction().execute((tx) =>
        recordIncident(tx, { fleetId, vehicleId: late.vehicleId, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, description: 'phone', source: 'vision', occurredAt: new Date('2026-06-01T07:05:00Z'), tripId: oldTrip.id }, { mergeWindowMs: 0, now: new Date(platform.clock.now()), newId: () => platform.ids.next() }),
      );

      for (const batch of batches(DAY.slice(0, split), 500)) await late.send(batch);
      const after = await outcome(late.vehicleId);
      const trip = '2026-06-01T07:00:01.000Z';
      expect(after.trips.map((t) => [t.started_at, t.incident_count])).toEqual(expected.trips.map((t) => [t.started_at, t.incident_count + 1]));
      expect(after.incidents.filter((i) => i.type !== 'PHONE_USAGE')).toEqual(expected.incidents);
      expect(after.incidents.find((i) => i.type === 'PHONE_USAGE')?.trip_id).toBe(trip);
    });

    it('stores the fixes and queues a recomputation when the telemetry step fails, which the job then repairs', async () => {
      const taxi = await newTaxi('PL-5');
      const db = platform.db.kysely;
      // Make the telemetry step fail (its state row cannot be written) while fixes can still be stored.
      await db.insertInto('vehicle_telemetry').values({ vehicle_id: taxi.vehicleId, fleet_id: fleetId, state: '"not a state"', updated_at: new Date() }).execute();
      await taxi.send(DAY.slice(0, 120));
      const stored = await db.selectFrom('gps_fixes').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', taxi.vehicleId).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(120);
      expect((await outcome(taxi.vehicleId)).trips).toEqual([]);
      expect(platform.logLines.some((l) => l.msg === 'telemetry step failed; recomputation queued')).toBe(true);

      await db.updateTable('vehicle_telemetry').set({ state: JSON.stringify({ last: null, motion: null, trip: null, speeding: null, idle: null, lastHarsh: {} }) }).where('vehicle_id', '=', taxi.vehicleId).execute();
      platform.queue.setHandlers(jobHandlers(platform));
      await platform.queue.runDue();
      const repaired = await outcome(taxi.vehicleId);
      expect(repaired.trips).toHaveLength(1);
      expect(repaired.incidents.map((i) => i.type)).toEqual(['HARSH_ACCELERATION', 'SPEEDING', 'HARSH_BRAKING']);
    });

    it("applies the fleet's own thresholds", async () => {
      const owner = await newTaxi('PL-6');
      await platform.db.kysely.updateTable('fleets').set({ speed_limit_kmh: 90, telemetry: JSON.stringify({ harsh_braking_ms2: 6, harsh_acceleration_ms2: 6 }) }).where('id', '=', fleetId).execute();
      for (const batch of batches(DAY, 100)) await owner.send(batch);
      expect((await outcome(owner.vehicleId)).incidents.map((i) => i.type)).toEqual(['IDLING', 'IDLING']);
    });
  });
}

describe('fix pipeline with INGEST_IN_BACKGROUND', () => {
  it('answers once the fixes are stored and finishes rules, trips and live events right after', async () => {
    const platform = await createTestPlatform({ INGEST_IN_BACKGROUND: 'true' });
    try {
      const app = createApp(platform);
      const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
      const fleetId = (await createFleet(deps, { name: 'Background' })).id;
      const vehicleId = (await createVehicle(deps, { fleetId, plate: 'BG-1' })).id;
      const { key } = await createDevice(deps, { vehicleId });
      const events: LiveEvent[] = [];
      await platform.bus.subscribe(fleetId, (e) => events.push(e));
      const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: DAY.slice(0, 200).map(asJson) }) });
      expect(await res.json()).toEqual({ stored: 200, duplicates: 0 });
      const trips = () => platform.db.kysely.selectFrom('trips').select('id').where('vehicle_id', '=', vehicleId).execute();
      for (let i = 0; i < 100 && (await trips()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await trips()).toHaveLength(1);
      for (let i = 0; i < 100 && !events.some((e) => e.type === 'new_alert'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.map((e) => e.type)).toContain('location_update');
      expect(events.map((e) => e.type)).toContain('new_alert');
    } finally {
      await new Promise((r) => setTimeout(r, 50));
      await platform.close();
    }
  });

  it('holds back a batch that overtook the one before it until that one has gone first: the trips of in-order sending', async () => {
    const platform = await createTestPlatform({ INGEST_IN_BACKGROUND: 'true', INCIDENT_MERGE_WINDOW_MINUTES: '0' });
    try {
      const app = createApp(platform);
      const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
      const fleetId = (await createFleet(deps, { name: 'Reorder' })).id;
      const send = async (key: string, fixes: TelemetryFix[]) => {
        const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: fixes.map(asJson) }) });
        expect(res.status).toBe(202);
      };
      const taxi = async (plate: string) => {
        const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
        return { vehicleId, key: (await createDevice(deps, { vehicleId })).key };
      };
      const settled = async (vehicleId: string, until: number) => {
        const state = () => platform.db.kysely.selectFrom('vehicle_telemetry').select('processed_until').where('vehicle_id', '=', vehicleId).executeTakeFirst();
        for (let i = 0; i < 250 && (await state())?.processed_until?.getTime() !== until; i++) await new Promise((r) => setTimeout(r, 20));
      };
      const tripsOf = (vehicleId: string) => platform.db.kysely.selectFrom('trips').select(['started_at', 'ended_at', 'distance_m', 'max_speed_kmh', 'incident_count']).where('vehicle_id', '=', vehicleId).orderBy('started_at').execute();
      const waits = (outcome: string) => platform.metrics!.reorderWaits.get({ outcome });
      const [first, second, third] = [DAY.slice(0, 30), DAY.slice(30, 40), DAY.slice(40, 50)];

      const inOrder = await taxi('ORDER-1');
      for (const part of [first, second, third]) await send(inOrder.key, part);
      await settled(inOrder.vehicleId, third.at(-1)!.at);

      const overtaken = await taxi('ORDER-2');
      await send(overtaken.key, first);
      await settled(overtaken.vehicleId, first.at(-1)!.at);
      // The third batch arrives first: 11 s after the last stored fix, its fixes 1 s apart.
      await send(overtaken.key, third);
      await new Promise((r) => setTimeout(r, 100));
      expect(waits('filled')).toBe(0);
      await send(overtaken.key, second);
      await settled(overtaken.vehicleId, third.at(-1)!.at);
      expect(waits('filled')).toBe(1);
      expect(waits('timed_out')).toBe(0);
      expect(await tripsOf(overtaken.vehicleId)).toEqual(await tripsOf(inOrder.vehicleId));
    } finally {
      await new Promise((r) => setTimeout(r, 50));
      await platform.close();
    }
  });
});
