/**
 * The triage's reads and writes for the frames that arrive together (readTriageFacts, markFramesHigh), on PGlite
 * and Postgres: each frame of a group gets its own facts, against rows written for it with explicit times, including
 * the rows just outside each window.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { SPEED_MAX_GAP_MS } from '../vision/frame-analysis-store.ts';
import type { KyselyPlugin } from 'kysely';
import type { Platform } from '../../platform.ts';
import { markFramesHigh, readTriageFacts, routineIntervalFor, triageFrame, type TriageFrame } from './frame-triage.ts';

const AT = Date.parse('2026-06-01T08:00:00Z');
const at = (offsetMs: number) => new Date(AT + offsetMs);
const postgresUp = await postgresAvailable();

describe.each([
  ['pglite', true],
  ['postgres', postgresUp],
] as const)('frame triage on %s', (database, available) => {
  let platform: TestPlatform;
  let fleetId: string;
  let cabin: { vehicleId: string; deviceId: string };
  let road: { vehicleId: string; deviceId: string };

  beforeEach(async () => {
    if (!available) return;
    platform = await createTestPlatform({ VISION_EVENT_WINDOW_S: '30' }, { database });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Triage' })).id;
    const taxi = async (plate: string, cameraRole: 'cabin' | 'road') => {
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      const deviceId = (await createDevice(deps, { vehicleId, cameraRole })).id;
      return { vehicleId, deviceId };
    };
    cabin = await taxi('TR-1', 'cabin');
    road = await taxi('TR-2', 'road');
  });
  afterEach(async () => {
    if (available) await platform.close();
  });

  const frameOf = (id: string, taxi: { vehicleId: string; deviceId: string }, capturedAt: Date, deviceTrigger = false): TriageFrame => ({
    id,
    fleetId,
    vehicleId: taxi.vehicleId,
    deviceId: taxi.deviceId,
    capturedAt,
    deviceTrigger,
  });
  const insertFrame = (frame: TriageFrame, status = 'pending') =>
    platform.db.kysely
      .insertInto('frames')
      .values({
        id: frame.id,
        fleet_id: fleetId,
        vehicle_id: frame.vehicleId,
        device_id: frame.deviceId,
        blob_key: `k/${frame.id}`,
        captured_at: frame.capturedAt,
        received_at: frame.capturedAt,
        size_bytes: 10,
        analysis_status: status,
      } as never)
      .execute();
  const insertFix = (taxi: { vehicleId: string; deviceId: string }, deviceTime: Date, speed: number) =>
    platform.db.kysely
      .insertInto('gps_fixes')
      .values({ fleet_id: fleetId, vehicle_id: taxi.vehicleId, device_id: taxi.deviceId, device_time: deviceTime, received_at: deviceTime, latitude: 40.4, longitude: -3.7, speed_kmh: speed } as never)
      .execute();
  const insertTelemetryIncident = (id: string, vehicleId: string, occurredAt: Date) =>
    platform.db.kysely
      .insertInto('incidents')
      .values({ id, fleet_id: fleetId, vehicle_id: vehicleId, type: 'HARSH_BRAKING', severity: 'HIGH', confidence: 1, description: 'brake', source: 'telemetry', occurred_at: occurredAt, created_at: occurredAt, last_seen_at: occurredAt } as never)
      .execute();

  it.skipIf(!available)('reads each frame of a group its own camera role, speed, telemetry event and backlog', async () => {
    const moving = frameOf('moving', cabin, at(0));
    const stale = frameOf('stale-fix', cabin, at(-100_000));
    const roadFrame = frameOf('road', road, at(0));
    for (const f of [moving, stale, roadFrame]) await insertFrame(f);
    await insertFrame(frameOf('done-one', cabin, at(-200_000)), 'done');
    // The latest fix at or before the frame counts; one after it, or older than the gap, does not.
    await insertFix(cabin, at(-5_000), 42);
    await insertFix(cabin, at(-15_000), 10);
    await insertFix(cabin, at(2_000), 99);
    await insertFix(cabin, at(-100_000 - SPEED_MAX_GAP_MS - 1), 77);
    // A telemetry event 10 s before `moving` (inside the 30 s window) is found; one 31 s before `stale-fix` is not.
    await insertTelemetryIncident('event-near', cabin.vehicleId, at(-10_000));
    await insertTelemetryIncident('event-far', cabin.vehicleId, at(-131_000));

    const facts = await readTriageFacts(platform, [moving, stale, roadFrame]);
    expect(facts.map((f) => f.camera_role)).toEqual(['cabin', 'cabin', 'road']);
    expect(facts.map((f) => (f.speed_kmh === null ? null : Number(f.speed_kmh)))).toEqual([42, null, null]);
    expect(new Date(facts[0].event_at!).getTime()).toBe(AT - 10_000);
    expect(facts[1].event_at).toBeNull();
    expect(facts[2].event_at).toBeNull();
    // Routine frames pending in the fleet, each frame itself left out; settled ones never count.
    expect(facts.map((f) => Number(f.pending_routine))).toEqual([2, 2, 2]);
  });

  it.skipIf(!available)('marks a group of frames high, each with its own reason, and leaves the rest routine', async () => {
    const frames = ['a', 'b', 'c', 'd'].map((id) => frameOf(id, cabin, at(-Number(id.charCodeAt(0)) * 1000)));
    for (const f of frames) await insertFrame(f);
    await markFramesHigh(platform, [
      { frameId: 'a', reason: 'moving_cabin' },
      { frameId: 'b', reason: 'device_trigger' },
      { frameId: 'c', reason: 'moving_cabin' },
    ]);
    const rows = await platform.db.kysely.selectFrom('frames').select(['id', 'priority', 'priority_reason']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', priority: 'high', priority_reason: 'moving_cabin' },
      { id: 'b', priority: 'high', priority_reason: 'device_trigger' },
      { id: 'c', priority: 'high', priority_reason: 'moving_cabin' },
      { id: 'd', priority: 'routine', priority_reason: null },
    ]);
  });

  it.skipIf(!available)('triages frames that arrive together as it triages each alone: priority, reason and a queued job each', async () => {
    const moving = frameOf('moving', cabin, at(0));
    const parked = frameOf('parked', cabin, at(-60_000));
    const triggered = frameOf('triggered', road, at(0), true);
    for (const f of [moving, parked, triggered]) await insertFrame(f);
    await insertFix(cabin, at(-3_000), 35);
    await insertFix(cabin, at(-61_000), 0);
    const outcomes = await Promise.all([moving, parked, triggered].map((f) => triageFrame(platform, f)));
    expect(outcomes.map((o) => [o.priority, o.reason, o.queued])).toEqual([
      ['high', 'moving_cabin', true],
      ['routine', 'routine', true],
      ['high', 'device_trigger', true],
    ]);
    const rows = await platform.db.kysely.selectFrom('frames').select(['id', 'priority', 'priority_reason']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'moving', priority: 'high', priority_reason: 'moving_cabin' },
      { id: 'parked', priority: 'routine', priority_reason: null },
      { id: 'triggered', priority: 'high', priority_reason: 'device_trigger' },
    ]);
    const jobs = await platform.db.kysely.selectFrom('jobs').select('dedupe_id').where('name', '=', 'analyse-frame').orderBy('dedupe_id').execute();
    expect(jobs.map((j) => j.dedupe_id)).toEqual(['analyse-frame:moving', 'analyse-frame:parked', 'analyse-frame:triggered']);
  });

  it.skipIf(!available)('counts the routine backlog once for the device answers that ask while a count runs, and again after a failed one', async () => {
    for (let i = 0; i < 3; i++) await insertFrame(frameOf(`r${i}`, cabin, at(-i * 1000)));
    let statements = 0;
    let failNext = false;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1;
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const counted = { ...platform, db: { ...platform.db, kysely: platform.db.kysely.withPlugin(counter) } } as Platform;
    const answers = await Promise.all(Array.from({ length: 10 }, () => routineIntervalFor(counted, fleetId)));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(statements).toBe(1);

    const other = { ...counted } as Platform;
    failNext = true;
    await expect(routineIntervalFor(other, fleetId)).rejects.toThrow('connection lost');
    await expect(routineIntervalFor(other, fleetId)).resolves.toBeNull();
    expect(statements).toBe(3);
  });
});
