/**
 * The analyse-frame job's one read of a frame's surroundings (loadFrameContext), on PGlite and Postgres: each part
 * of the answer against rows written for it, with explicit times, including the rows just outside each window.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import type { FrameSignals } from './vision-verdict.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { NEW_CALIBRATION } from './calibration.ts';
import { HISTORY_FRAMES, loadFrameContext } from './frame-analysis-store.ts';

const AT = Date.parse('2026-06-01T08:00:00Z');
const at = (offsetMs: number) => new Date(AT + offsetMs);
const postgresUp = await postgresAvailable();

const SIGNALS: FrameSignals = {
  face_found: true,
  face_score: 0.9,
  face_box: [0.4, 0.2, 0.1, 0.1],
  eye_openness: 0.3,
  mouth_openness: 0,
  head_yaw_deg: 2,
  head_pitch_deg: 5,
  body_found: false,
  body: null,
  hands: [],
  phone_score: 0,
  person_count: 1,
  brightness: 100,
  contrast: 30,
  scene: null,
} as unknown as FrameSignals;

describe.each([
  ['pglite', true],
  ['postgres', postgresUp],
] as const)('loadFrameContext on %s', (database, available) => {
  let platform: TestPlatform;
  let fleetId: string;
  let vehicleId: string;
  let deviceId: string;
  let frame: { id: string; fleet_id: string; vehicle_id: string; device_id: string | null; captured_at: Date };

  beforeEach(async () => {
    if (!available) return;
    platform = await createTestPlatform({}, { database });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Context' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'CX-1' })).id;
    deviceId = (await createDevice(deps, { vehicleId })).id;
    frame = { id: 'frame-now', fleet_id: fleetId, vehicle_id: vehicleId, device_id: deviceId, captured_at: at(0) };
  });
  afterEach(async () => {
    if (available) await platform.close();
  });

  const insertFrame = (id: string, capturedAt: Date, status: string, analysis: unknown, device = deviceId) =>
    platform.db.kysely
      .insertInto('frames')
      .values({
        id,
        fleet_id: fleetId,
        vehicle_id: vehicleId,
        device_id: device,
        blob_key: `k/${id}`,
        captured_at: capturedAt,
        received_at: capturedAt,
        size_bytes: 10,
        analysis_status: status,
        analysis: analysis === null ? null : JSON.stringify(analysis),
      } as never)
      .execute();
  const insertFix = (deviceTime: Date, latitude: number, speed: number | null) =>
    platform.db.kysely
      .insertInto('gps_fixes')
      .values({
        fleet_id: fleetId,
        vehicle_id: vehicleId,
        device_id: deviceId,
        device_time: deviceTime,
        received_at: deviceTime,
        latitude,
        longitude: -3.7,
        speed_kmh: speed,
      } as never)
      .execute();

  it.skipIf(!available)(
    'is empty for a vehicle with nothing around the frame, with a new calibration for its camera',
    async () => {
      const context = await loadFrameContext(platform.db.kysely, frame);
      expect(context).toEqual({
        history: [],
        telemetry: undefined,
        place: { latitude: null, longitude: null, speedKmh: null, tripId: null },
        calibration: NEW_CALIBRATION,
        model: null,
      });
      expect((await loadFrameContext(platform.db.kysely, { ...frame, device_id: null })).calibration).toBeNull();
    },
  );

  it.skipIf(!available)(
    'history: the camera’s analysed frames of the last 30 minutes with signals, newest first, and a model’s verdict only where one was called',
    async () => {
      const verdict = {
        incident_detected: true,
        type: 'PHONE_USAGE',
        severity: 'HIGH',
        confidence: 0.9,
        description: 'phone',
      };
      await insertFrame('old', at(-31 * 60_000), 'done', { signals: SIGNALS });
      await insertFrame('a', at(-60_000), 'done', { signals: SIGNALS, model_call: true, verdict });
      await insertFrame('b', at(-10_000), 'done', {
        signals: { ...SIGNALS, eye_openness: 0.1 },
        model_call: false,
        verdict,
      });
      await insertFrame('pending', at(-5_000), 'pending', null);
      await insertFrame('no-signals', at(-4_000), 'done', { verdict });
      await insertFrame('later', at(5_000), 'done', { signals: SIGNALS });
      const other = await createDevice(
        { db: platform.db.kysely, clock: platform.clock, ids: platform.ids },
        { vehicleId },
      );
      await insertFrame('other-camera', at(-3_000), 'done', { signals: SIGNALS }, other.id);
      const { history } = await loadFrameContext(platform.db.kysely, frame);
      expect(history.map((h) => h.capturedAt)).toEqual([AT - 10_000, AT - 60_000]);
      expect(history[0].signals.eye_openness).toBe(0.1);
      expect(history[0].modelVerdict).toBeUndefined();
      expect(history[1].modelVerdict?.type).toBe('PHONE_USAGE');
    },
  );

  it.skipIf(!available)(`history: at most ${HISTORY_FRAMES} frames, the newest`, async () => {
    for (let i = 1; i <= HISTORY_FRAMES + 5; i++)
      await insertFrame(`h${i}`, at(-i * 10_000), 'done', { signals: SIGNALS });
    const { history } = await loadFrameContext(platform.db.kysely, frame);
    expect(history).toHaveLength(HISTORY_FRAMES);
    expect(history[0].capturedAt).toBe(AT - 10_000);
    expect(history.at(-1)!.capturedAt).toBe(AT - HISTORY_FRAMES * 10_000);
  });

  it.skipIf(!available)(
    'telemetry: the vehicle’s telemetry incidents of the 10 s before the frame, newest first',
    async () => {
      const incident = (id: string, type: string, occurredAt: Date, source = 'telemetry') =>
        platform.db.kysely
          .insertInto('incidents')
          .values({
            id,
            fleet_id: fleetId,
            vehicle_id: vehicleId,
            type,
            severity: 'HIGH',
            confidence: 1,
            description: type,
            source,
            occurred_at: occurredAt,
            created_at: occurredAt,
            last_seen_at: occurredAt,
          } as never)
          .execute();
      await incident('i1', 'HARSH_BRAKING', at(-3_000));
      await incident('i2', 'SPEEDING', at(-8_000));
      await incident('too-early', 'SPEEDING', at(-11_000));
      await incident('after', 'SPEEDING', at(1_000));
      await incident('camera', 'PHONE_USAGE', at(-1_000), 'vision');
      const { telemetry } = await loadFrameContext(platform.db.kysely, frame);
      expect(telemetry).toMatch(
        /^Telemetry detected HARSH_BRAKING \(HIGH\) 3 s before this frame; SPEEDING \(HIGH\) 8 s before this frame\./,
      );
    },
  );

  it.skipIf(!available)(
    'place: the nearest fix within a minute, its speed only within 20 s, and the trip then',
    async () => {
      await insertFix(at(-30_000), 40.1, 50);
      await insertFix(at(25_000), 40.2, 30);
      await insertFix(at(-70_000), 40.0, 10);
      await platform.db.kysely
        .insertInto('trips')
        .values({
          id: 'trip-1',
          fleet_id: fleetId,
          vehicle_id: vehicleId,
          started_at: at(-600_000),
          ended_at: null,
        } as never)
        .execute();
      const { place } = await loadFrameContext(platform.db.kysely, frame);
      // 25 s after is nearer than 30 s before, but more than 20 s away: where, yes; how fast, no.
      expect(place).toEqual({ latitude: 40.2, longitude: -3.7, speedKmh: null, tripId: 'trip-1' });
      await insertFix(at(-2_000), 40.3, 42.5);
      expect((await loadFrameContext(platform.db.kysely, frame)).place).toEqual({
        latitude: 40.3,
        longitude: -3.7,
        speedKmh: 42.5,
        tripId: 'trip-1',
      });
    },
  );

  it.skipIf(!available)('calibration and the fleet’s model: as stored', async () => {
    const state = { ...NEW_CALIBRATION, frames: 7 };
    await platform.db.kysely
      .insertInto('camera_calibrations')
      .values({
        device_id: deviceId,
        fleet_id: fleetId,
        status: 'calibrating',
        state: JSON.stringify(state),
        updated_at: at(0),
      } as never)
      .execute();
    const model = { version: 1, examples: 12 };
    await platform.db.kysely
      .insertInto('fleet_vision_models')
      .values({ fleet_id: fleetId, model: JSON.stringify(model), examples: 12, trained_at: at(0) } as never)
      .execute();
    const context = await loadFrameContext(platform.db.kysely, frame);
    expect(context.calibration).toEqual(state);
    expect(context.model).toEqual(model);
  });
});
