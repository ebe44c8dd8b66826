/**
 * A crash between a batch's answer and its telemetry (rules, trips, incidents) loses nothing, on PGlite and on
 * Postgres: the batch stored without its after-answer work (what a `kill -9` right after the 202 leaves) is applied
 * by the vehicle's next batch, or by the sweep when no batch follows, with the same trips and incidents as an
 * uninterrupted run — and never twice, whoever comes second.
 */
import type { Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createApp } from '../../app.ts';
import { applyPendingTelemetry } from '../../../jobs/apply-pending-telemetry.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { applyTelemetry } from '../telemetry/apply-telemetry.ts';
import { drive } from '../telemetry/telemetry-test-drive.ts';
import type { TelemetryFix } from '../telemetry/telemetry-types.ts';
import { checkFixes } from './fix-input.ts';
import { previousFix, screenFixes } from './screen-fixes.ts';
import { storeFixes } from './store-fixes.ts';

// Hard start, speeding, a hard stop, a wait, a second leg, parking (as in fix-pipeline.test.ts).
const DAY = drive(
  [{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }, { kmh: 30, seconds: 60 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 12 * 60 }],
  { startAt: Date.parse('2026-06-01T07:00:00Z') },
);
const asJson = (f: TelemetryFix) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() });
const batches = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const BATCHES = batches(DAY, 40);
const JOB = { jobId: 'sweep', attempt: 1 };
type HeldWork = (tx: Transaction<Database>) => Promise<unknown>;

const databases = [{ name: 'pglite' as const, available: true }, { name: 'postgres' as const, available: await postgresAvailable() }];

for (const database of databases) {
  describe.skipIf(!database.available)(`fix pipeline after a crash, on ${database.name}`, () => {
    let platform: TestPlatform;
    let app: ReturnType<typeof createApp>;
    let fleetId: string;

    const newTaxi = async (plate: string) => {
      const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      const { key, id: deviceId } = await createDevice(deps, { vehicleId });
      const device = { deviceId, vehicleId, fleetId };
      const send = async (fixes: TelemetryFix[]) => {
        const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: fixes.map(asJson) }) });
        expect(res.status).toBe(202);
      };
      /** The pipeline up to its commitment (validate, screen, store): the state a crash right after the 202 leaves. */
      const storeThenDie = async (fixes: TelemetryFix[]) => {
        const checked = checkFixes(fixes.map(asJson), platform.clock.now()).fixes;
        const screened = screenFixes(await previousFix(platform, vehicleId, Math.min(...fixes.map((f) => f.at))), checked);
        return storeFixes(platform, device, screened.fixes);
      };
      return { vehicleId, device, send, storeThenDie };
    };
    const outcome = async (vehicleId: string) => {
      const db = platform.db.kysely;
      const trips = await db.selectFrom('trips').select(['id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count']).where('vehicle_id', '=', vehicleId).orderBy('started_at').execute();
      const incidents = await db.selectFrom('incidents').select(['type', 'severity', 'occurred_at', 'trip_id']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').orderBy('type').execute();
      const alerts = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
      const tripStart = new Map(trips.map((t) => [t.id, t.started_at.toISOString()]));
      return {
        trips: trips.map(({ id: _id, ...t }) => ({ ...t, started_at: t.started_at.toISOString(), ended_at: t.ended_at?.toISOString() ?? null })),
        incidents: incidents.map((i) => ({ ...i, occurred_at: i.occurred_at.toISOString(), trip_id: i.trip_id ? tripStart.get(i.trip_id) : null })),
        alerts: Number(alerts.n),
      };
    };
    const pendingMarks = async (vehicleId: string) => (await platform.db.kysely.selectFrom('pending_telemetry').select('seq').where('vehicle_id', '=', vehicleId).execute()).length;
    /** The same drive sent without any crash. */
    const uninterrupted = async () => {
      const taxi = await newTaxi('CR-0');
      for (const batch of BATCHES) await taxi.send(batch);
      return outcome(taxi.vehicleId);
    };

    beforeEach(async () => {
      platform = await createTestPlatform({ INCIDENT_MERGE_WINDOW_MINUTES: '0' }, { database: database.name });
      app = createApp(platform);
      fleetId = (await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Crash', speedLimitKmh: 50 })).id;
    });
    afterEach(() => platform.close());

    it("applies the batches a crash cut off with the vehicle's next batch", async () => {
      const expected = await uninterrupted();
      expect(expected.incidents.length).toBeGreaterThanOrEqual(3);
      const taxi = await newTaxi('CR-1');
      // The hard start and the speeding are in batches 0–2; the crash takes batches 1 and 2 after their answer.
      await taxi.send(BATCHES[0]);
      await taxi.storeThenDie(BATCHES[1]);
      await taxi.storeThenDie(BATCHES[2]);
      expect(await pendingMarks(taxi.vehicleId)).toBe(2);
      for (const batch of BATCHES.slice(3)) await taxi.send(batch);
      expect(await outcome(taxi.vehicleId)).toEqual(expected);
      expect(await pendingMarks(taxi.vehicleId)).toBe(0);
    });

    it('applies a vehicle\'s last batches with the sweep when none follows, once only', async () => {
      const expected = await uninterrupted();
      const taxi = await newTaxi('CR-2');
      const lost = 12; // from the wait before the second leg to the end: the second IDLING and the trip's end

      for (const batch of BATCHES.slice(0, lost)) await taxi.send(batch);
      const marks = [];
      for (const batch of BATCHES.slice(lost)) marks.push((await taxi.storeThenDie(batch)).pending!);
      const before = await outcome(taxi.vehicleId);
      expect(before.trips[0].ended_at).toBeNull();
      expect(before.incidents.length).toBeLessThan(expected.incidents.length);

      // Within the grace period the sweep leaves marks alone (their work may still be running)…
      await applyPendingTelemetry(platform, {}, JOB);
      expect(await outcome(taxi.vehicleId)).toEqual(before);
      // …past it, the batches are applied.
      platform.clock.advance(61_000);
      await applyPendingTelemetry(platform, {}, JOB);
      expect(await outcome(taxi.vehicleId)).toEqual(expected);
      expect(await pendingMarks(taxi.vehicleId)).toBe(0);

      // A second sweep, the lost batch's own work arriving late, and the device's retry change nothing.
      await applyPendingTelemetry(platform, { olderThanSeconds: 0 }, JOB);
      const late = await applyTelemetry(platform, taxi.device, [], { pending: { batch: marks[0] } });
      expect(late.newIncidents).toEqual([]);
      for (const batch of BATCHES.slice(lost)) await taxi.send(batch);
      expect(await outcome(taxi.vehicleId)).toEqual(expected);
    });

    it('applies a batch once when the sweep took it while its own work was still on the way', async () => {
      const expected = await uninterrupted();
      const taxi = await newTaxi('CR-3');
      for (const batch of BATCHES.slice(0, 4)) await taxi.send(batch);
      const stored = await taxi.storeThenDie(BATCHES[4]);
      await applyPendingTelemetry(platform, { olderThanSeconds: 0 }, JOB);
      // The batch's own after-answer step comes second: its mark is gone, so nothing is applied again.
      const own = await applyTelemetry(platform, taxi.device, stored.inserted, { pending: { batch: stored.pending! } });
      expect(own).toMatchObject({ newIncidents: [], recomputedFrom: null, statusChange: null });
      for (const batch of BATCHES.slice(5)) await taxi.send(batch);
      expect(await outcome(taxi.vehicleId)).toEqual(expected);
    });

    // The batch's own application waits on the vehicle's row while another application (a sweep) holds it. It locks
    // the row and takes its mark in one statement, so what it reads is what that application committed, not what
    // was there when it started waiting. Postgres only: PGlite has one connection, so nothing ever waits.
    if (database.name === 'postgres') {
      /** Holds the vehicle's row like an application in progress; `commit` runs `work` in it and commits. */
      const holdVehicle = async (vehicleId: string) => {
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        let release!: (work: HeldWork) => void;
        const released = new Promise<HeldWork>((resolve) => (release = resolve));
        const done = platform.db.kysely.transaction().execute(async (tx) => {
          await tx.selectFrom('vehicle_telemetry').select('vehicle_id').where('vehicle_id', '=', vehicleId).forUpdate().execute();
          locked();
          await (await released)(tx);
        });
        await isLocked;
        return { commit: (work: HeldWork) => (release(work), done) };
      };
      /** A taxi's third batch stored (its after-answer work cut off), then its own application started, waiting on the held row. */
      const ownApplicationWaiting = async (plate: string) => {
        const taxi = await newTaxi(plate);
        for (const batch of BATCHES.slice(0, 2)) await taxi.send(batch);
        const stored = await taxi.storeThenDie(BATCHES[2]);
        const held = await holdVehicle(taxi.vehicleId);
        const own = applyTelemetry(platform, taxi.device, stored.inserted, { pending: { batch: stored.pending! } });
        await new Promise((r) => setTimeout(r, 100));
        return { taxi, held, own };
      };

      it('finds its mark gone when the application holding the row took it meanwhile, and applies nothing again', async () => {
        const { taxi, held, own } = await ownApplicationWaiting('CR-4');
        const marker = new Date('2026-06-01T09:00:00Z');
        await held.commit(async (tx) => {
          await tx.deleteFrom('pending_telemetry').where('vehicle_id', '=', taxi.vehicleId).execute();
          await tx.updateTable('vehicle_telemetry').set({ processed_until: marker }).where('vehicle_id', '=', taxi.vehicleId).execute();
        });
        expect(await own).toMatchObject({ newIncidents: [], recomputedFrom: null, statusChange: null });
        const row = await platform.db.kysely.selectFrom('vehicle_telemetry').select('processed_until').where('vehicle_id', '=', taxi.vehicleId).executeTakeFirstOrThrow();
        expect(row.processed_until).toEqual(marker);
        expect(await pendingMarks(taxi.vehicleId)).toBe(0);
      });

      it('continues from the state the application holding the row committed, not the one it saw before waiting', async () => {
        const { taxi, held, own } = await ownApplicationWaiting('CR-5');
        // Processed beyond the batch: seen as committed, the batch is late and its trip is recomputed.
        await held.commit((tx) => tx.updateTable('vehicle_telemetry').set({ processed_until: new Date(BATCHES[3].at(-1)!.at) }).where('vehicle_id', '=', taxi.vehicleId).execute());
        const outcome = await own;
        expect(outcome.recomputedFrom).not.toBeNull();
        expect(await pendingMarks(taxi.vehicleId)).toBe(0);
      });
    }
  });
}
