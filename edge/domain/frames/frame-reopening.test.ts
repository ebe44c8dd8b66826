/**
 * A late telemetry event upgrades frames (issue 20): frames of a taxi stored as routine before the fixes that show a
 * harsh brake arrive become high priority (reason `telemetry_event`) when those fixes do — the pending ones, and the
 * ones already skipped if they arrived recently — and are analysed ahead of routine ones, once each however many
 * events cover them. Frames outside the event's window stay routine. Explicit times throughout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordedSignalsAnalyser } from '../../../e2e/support/recorded-signals-analyser.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import { jobHandlers } from '../../../jobs/index.ts';
import { createApp } from '../../app.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { runTelemetry } from '../telemetry/run-telemetry.ts';
import { DEFAULT_TELEMETRY } from '../telemetry/settings.ts';
import { drive } from '../telemetry/telemetry-test-drive.ts';
import { emptyTelemetryState } from '../telemetry/telemetry-types.ts';
import { upgradeFramesAfterEvents } from './frame-reopening.ts';
import { analyseFrameDedupeId, enqueueAnalysis, frameBlobKey } from './store-frame.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));
const s = (seconds: number) => seconds * 1000;

// The upgrade is one guarded UPDATE racing the analysis job's own guarded writes: run it on both engines.
const backends = [{ database: 'pglite' as const }, ...((await postgresAvailable()) ? [{ database: 'postgres' as const }] : [])];

describe.each(backends)('frames upgraded by a late telemetry event on $database', ({ database }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let taxi: { fleetId: string; vehicleId: string; deviceId: string; key: string };
  let event: number;
  let fixes: ReturnType<typeof drive>;
  const frames: Record<string, string> = {};
  const analyser = createRecordedSignalsAnalyser(() => ({}));

  /** A frame taken at `capturedAt`, received at `receivedAt`, as the upload and its triage left it. */
  async function storedFrame(capturedAt: number, receivedAt: number, state: 'pending' | 'stale' | 'backlog') {
    const id = platform.ids.next();
    const blobKey = frameBlobKey(taxi.vehicleId, new Date(capturedAt), id);
    await platform.blobs.put(blobKey, jpeg, { contentType: 'image/jpeg' });
    const analysis = state === 'pending' ? null : JSON.stringify({ skipped_reason: state, skipped_at: new Date(receivedAt).toISOString() });
    await platform.db.kysely
      .insertInto('frames')
      .values({ id, fleet_id: taxi.fleetId, vehicle_id: taxi.vehicleId, device_id: taxi.deviceId, blob_key: blobKey, captured_at: new Date(capturedAt), received_at: new Date(receivedAt), size_bytes: jpeg.length, width: 960, height: 540, analysis_status: state === 'pending' ? 'pending' : 'skipped', analysis, settled_at: state === 'pending' ? null : new Date(receivedAt) })
      .execute();
    if (state === 'pending') await enqueueAnalysis(platform, id, 'routine');
    return id;
  }
  const frame = (id: string) => platform.db.kysely.selectFrom('frames').select(['priority', 'priority_reason', 'analysis_status', 'analysis_round', 'analysis_history']).where('id', '=', id).executeTakeFirstOrThrow();
  const jobsOf = (id: string) => platform.db.kysely.selectFrom('jobs').select(['dedupe_id', 'priority']).where('dedupe_id', 'like', `${analyseFrameDedupeId(id)}%`).orderBy('dedupe_id').execute();
  const sendFixes = () =>
    app.request('/api/v1/tracking/location', {
      method: 'POST',
      headers: { authorization: `Bearer ${taxi.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fixes: fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, accuracy: f.accuracyM, timestamp: new Date(f.at).toISOString() })) }),
    });

  beforeAll(async () => {
    platform = await createTestPlatform({ VISION_EVENT_WINDOW_S: '30', VISION_ROUTINE_MAX_AGE_S: '120', VISION_LATE_UPGRADE_MAX_AGE_S: '600' }, { database });
    platform.analyser = analyser;
    platform.queue.setHandlers(jobHandlers(platform));
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Late' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'LATE-1' })).id;
    const device = await createDevice(deps, { vehicleId });
    taxi = { fleetId, vehicleId, deviceId: device.id, key: device.key };

    // 40 km/h for 20 s, a hard stop in 2 s, then standing: one harsh brake, 900 s before now. Where the engine puts
    // it is read from the engine itself, so the frames below sit at known distances from it.
    const now = platform.clock.now();
    fixes = drive([{ kmh: 40, seconds: 20 }, { kmh: 0, seconds: 2 }, { kmh: 0, seconds: 10 }], { startAt: now - s(900), startKmh: 40 });
    const found = runTelemetry(emptyTelemetryState(), fixes, { ...DEFAULT_TELEMETRY, speedLimitKmh: 120, language: 'en' }).incidents;
    expect(found.map((i) => i.type)).toContain('HARSH_BRAKING');
    event = Math.min(...found.map((i) => i.occurredAt));

    frames.inWindow = await storedFrame(event + s(5), event + s(6), 'pending');
    frames.before = await storedFrame(event - s(5), event - s(4), 'pending');
    frames.after = await storedFrame(event + s(45), event + s(46), 'pending'); // past the 30 s window
    frames.staleRecent = await storedFrame(event + s(10), now - s(100), 'stale'); // sent late by the device
    frames.backlogOld = await storedFrame(event + s(15), event + s(16), 'backlog'); // arrived 880 s ago: too old
  });
  afterAll(() => platform?.close());

  it('upgrades the pending and recently skipped frames of the window when the event arrives after them', async () => {
    expect(await frame(frames.inWindow!)).toMatchObject({ priority: 'routine', analysis_round: 0 });
    const res = await sendFixes();
    expect(res.status).toBe(202);
    const incident = await platform.db.kysely.selectFrom('incidents').select(['type', 'occurred_at']).where('vehicle_id', '=', taxi.vehicleId).where('type', '=', 'HARSH_BRAKING').executeTakeFirstOrThrow();
    expect(incident.occurred_at.getTime()).toBe(event);

    expect(await frame(frames.inWindow!)).toMatchObject({ priority: 'high', priority_reason: 'telemetry_event', analysis_status: 'pending', analysis_round: 1 });
    expect(await jobsOf(frames.inWindow!)).toEqual([
      { dedupe_id: analyseFrameDedupeId(frames.inWindow!), priority: 0 },
      { dedupe_id: analyseFrameDedupeId(frames.inWindow!, 1), priority: 10 },
    ]);
    const reopened = await frame(frames.staleRecent!);
    expect(reopened).toMatchObject({ priority: 'high', priority_reason: 'telemetry_event', analysis_status: 'pending', analysis_round: 1 });
    expect(reopened.analysis_history).toEqual([expect.objectContaining({ status: 'skipped', analysis: expect.objectContaining({ skipped_reason: 'stale' }), replaced_for: 'telemetry_event' })]);
    expect(await jobsOf(frames.staleRecent!)).toEqual([{ dedupe_id: analyseFrameDedupeId(frames.staleRecent!, 1), priority: 10 }]);

    for (const name of ['before', 'after'] as const) expect(await frame(frames[name]!)).toMatchObject({ priority: 'routine', priority_reason: null, analysis_status: 'pending', analysis_round: 0 });
    expect(await frame(frames.backlogOld!)).toMatchObject({ priority: 'routine', analysis_status: 'skipped', analysis_round: 0 });
    expect(await jobsOf(frames.backlogOld!)).toEqual([]);
  });

  it('queues nothing more for a second event over the same frames, or the same fixes sent again', async () => {
    expect(await upgradeFramesAfterEvents(platform, taxi.vehicleId, [event, event + s(3)])).toEqual([]);
    expect((await sendFixes()).status).toBe(202);
    expect(await frame(frames.inWindow!)).toMatchObject({ analysis_round: 1 });
    expect(await jobsOf(frames.inWindow!)).toHaveLength(2);
    expect(await jobsOf(frames.staleRecent!)).toHaveLength(1);
  });

  it('analyses the upgraded frames, once each, while the routine ones of the same age go stale', async () => {
    await platform.queue.runDue();
    expect(analyser.calls).toHaveLength(2);
    expect(await frame(frames.inWindow!)).toMatchObject({ analysis_status: 'done' });
    expect(await frame(frames.staleRecent!)).toMatchObject({ analysis_status: 'done' });
    for (const name of ['before', 'after'] as const) {
      const row = await platform.db.kysely.selectFrom('frames').select(['analysis_status', 'analysis']).where('id', '=', frames[name]!).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ analysis_status: 'skipped', analysis: { skipped_reason: 'stale' } });
    }
  });
});
