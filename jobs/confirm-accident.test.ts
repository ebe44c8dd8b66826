/**
 * An impact in the fixes becomes an ACCIDENT candidate (CRITICAL) whose check is queued; the check links the frames
 * from ±10 s and, with a cloud model configured (the loopback OpenAI-compatible server), asks it about the
 * road-facing ones first. Offline the candidate stays a candidate with its evidence.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../e2e/support/openai-compatible-server.ts';
import { createRecordedSignalsAnalyser } from '../e2e/support/recorded-signals-analyser.ts';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createOpenAiAnalyser } from '../edge/adapters/analyser/openai-analyser.ts';
import { ingestFixes } from '../edge/domain/ingest/fix-pipeline.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { drive } from '../edge/domain/telemetry/telemetry-test-drive.ts';
import { confirmAccident } from '../edge/domain/vision/confirm-accident.ts';
import { tinyJpeg } from '../e2e/eval-vision/fixture-images.ts';
import { jobHandlers } from './index.ts';

const jpeg = tinyJpeg(7);
const OBSERVED = { driver_visible: true, face_visible: false, person_count: 1, phone_in_hand: false, phone_at_ear: false, phone_looked_at: false, eyes_closed: false, yawning: false, looking_away: false, smoking: false, lens_blocked: false, collision_visible: true };

describe('ACCIDENT candidates', () => {
  let server: OpenAiCompatibleServer;
  let platform: TestPlatform;
  let ids: { fleetId: string; vehicleId: string; cabin: string; road: string };
  let impactAt: number;

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    server.requests.length = 0;
    platform = await createTestPlatform();
    platform.queue.setHandlers(jobHandlers(platform));
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Crash', locale: 'en' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'CR-1' })).id;
    ids = { fleetId, vehicleId, cabin: (await createDevice(deps, { vehicleId })).id, road: (await createDevice(deps, { vehicleId, cameraRole: 'road' })).id };
    // 50 km/h, then 50 → 10 km/h in one second (11 m/s²): an impact.
    const start = platform.clock.now() - 60_000;
    const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 20 }, { kmh: 10, seconds: 1 }, { kmh: 10, seconds: 5 }], { startAt: start });
    impactAt = start + 41_000;
    for (const [offset, device] of [[-25, ids.road], [-8, ids.cabin], [-4, ids.road], [3, ids.road], [6, ids.cabin], [25, ids.road]] as const) await frame(impactAt + offset * 1000, device);
    await ingestFixes(platform, { deviceId: ids.cabin, vehicleId, fleetId }, fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, accuracy: f.accuracyM, timestamp: new Date(f.at).toISOString() })));
  });
  afterEach(() => platform.close());

  async function frame(at: number, deviceId: string) {
    const id = platform.ids.next();
    await platform.blobs.put(`frames/${id}.jpg`, jpeg, { contentType: 'image/jpeg' });
    await platform.db.kysely.insertInto('frames').values({ id, fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, device_id: deviceId, blob_key: `frames/${id}.jpg`, captured_at: new Date(at), received_at: new Date(at), size_bytes: 4, width: 640, height: 480, analysis_status: 'done' }).execute();
  }
  const accident = () => platform.db.kysely.selectFrom('incidents').selectAll().where('type', '=', 'ACCIDENT').executeTakeFirstOrThrow();
  const evidence = async (incidentId: string) => (await platform.db.kysely.selectFrom('incident_frames').select('frame_id').where('incident_id', '=', incidentId).execute()).length;

  it('raises a CRITICAL candidate from the fixes and queues its check', async () => {
    const incident = await accident();
    expect(incident).toMatchObject({ source: 'telemetry', severity: 'CRITICAL', occurred_at: new Date(impactAt), confirmation: null });
    expect(incident.description).toMatch(/Possible collision: 50 to 10 km\/h/);
    const job = await platform.db.kysely.selectFrom('jobs').select(['name', 'status']).where('dedupe_id', '=', `confirm-accident:${incident.id}`).executeTakeFirstOrThrow();
    expect(job.name).toBe('confirm-accident');
  });

  it('offline: links the frames from ±10 s as evidence and stays a candidate, saying so', async () => {
    platform.analyser = createRecordedSignalsAnalyser(() => ({}));
    const incident = await accident();
    expect(await confirmAccident(platform, incident.id)).toMatchObject({ status: 'offline', frames: 4, asked: 0 });
    expect(await evidence(incident.id)).toBe(4);
    const after = await accident();
    expect(after).toMatchObject({ severity: 'CRITICAL', confirmation: { status: 'offline' } });
    expect(after.description).toMatch(/stays a candidate, with the frames from ±10 s as evidence/);
    // Checked once: a redelivery changes nothing.
    expect(await confirmAccident(platform, incident.id)).toBeNull();
  });

  it('with a cloud model: asks it about the road frames nearest the event first, and records that it confirmed', async () => {
    platform.analyser = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000, maxRetries: 0 });
    const seen = { incident_detected: true, type: 'ACCIDENT', confidence: 0.95, description: 'A car was struck; the airbag deployed.' };
    server.enqueue(reply.verdict(seen, { signals: OBSERVED }), reply.noIncident(), reply.noIncident());
    const events: unknown[] = [];
    await platform.bus.subscribe(ids.fleetId, (e) => events.push(e));
    const incident = await accident();
    platform.clock.advance(30_000);
    await platform.queue.runDue();
    const after = await accident();
    expect(after).toMatchObject({ severity: 'CRITICAL', confidence: 0.95, confirmation: { status: 'confirmed', frames: 4, asked: 3, model: 'gpt-4o-mini' } });
    expect(after.description).toContain('Confirmed by the cloud model');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]!.userText).toMatch(/possible collision .*3 s before this frame/);
    expect(events).toContainEqual(expect.objectContaining({ type: 'incident_updated', data: expect.objectContaining({ change: 'accident_check', incident_id: incident.id }) }));
  });

  it('with a cloud model that sees no collision: it stays a CRITICAL candidate, with what the model said', async () => {
    platform.analyser = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000, maxRetries: 0 });
    server.enqueue(reply.noIncident(), reply.noIncident(), reply.noIncident());
    const incident = await accident();
    expect(await confirmAccident(platform, incident.id)).toMatchObject({ status: 'not_seen', asked: 3 });
    expect(await accident()).toMatchObject({ severity: 'CRITICAL', status: 'open' });
    expect((await accident()).description).toMatch(/saw no collision in 3 frame\(s\)/);
  });
});
