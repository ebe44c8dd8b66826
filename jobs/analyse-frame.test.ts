/**
 * The analyse-frame job through the durable queue (PGlite, manual clock), with the OpenAI adapter talking to the
 * loopback OpenAI-compatible server: results become incidents and alerts, failures retry with backoff and end in
 * dead letters with the frame marked failed, and a redelivery changes nothing twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../e2e/support/openai-compatible-server.ts';
import { FRONT_CALM, withPoint } from '../e2e/support/driver-signals.ts';
import { createRecordedSignalsAnalyser } from '../e2e/support/recorded-signals-analyser.ts';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createCascadeAnalyser } from '../edge/adapters/analyser/cascade-analyser.ts';
import { createOpenAiAnalyser } from '../edge/adapters/analyser/openai-analyser.ts';
import { enqueueAnalysis, frameBlobKey } from '../edge/domain/frames/store-frame.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import type { LiveEvent } from '../edge/ports/bus.ts';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { analyseFrame } from './analyse-frame.ts';
import { jobHandlers } from './index.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));
const OBSERVED = { driver_visible: true, face_visible: true, person_count: 1, phone_in_hand: true, phone_at_ear: false, phone_looked_at: false, eyes_closed: false, yawning: false, looking_away: false, smoking: false, lens_blocked: false, collision_visible: false };
const phoneVerdict = { incident_detected: true, type: 'PHONE_USAGE', confidence: 0.91, description: 'The driver is holding a phone.' };
// The model reports what it saw; the severity policy grades it: looked at while (possibly) moving is HIGH, held MEDIUM.
const phone = phoneVerdict;
const looking = { signals: { ...OBSERVED, phone_looked_at: true } };
const holding = { signals: OBSERVED };

describe('analyse-frame job', () => {
  let server: OpenAiCompatibleServer;
  let platform: TestPlatform;
  let ids: { fleetId: string; vehicleId: string; deviceId: string };
  let events: LiveEvent[];

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    server.requests.length = 0;
    server.respondWith(() => reply.noIncident());
    platform = await createTestPlatform();
    // The adapter's own retries are off so the queue's retries are what is tested here.
    platform.analyser = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000, maxRetries: 0 });
    platform.queue.setHandlers(jobHandlers(platform));
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Vision' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'VIS-001' })).id;
    ids = { fleetId, vehicleId, deviceId: (await createDevice(deps, { vehicleId })).id };
    events = [];
    await platform.bus.subscribe(fleetId, (e) => events.push(e));
    await platform.db.kysely
      .insertInto('webhooks')
      .values({ id: platform.ids.next(), fleet_id: fleetId, url: 'http://127.0.0.1:9/hook', event_types: JSON.stringify(['new_alert', 'incident_updated']), secret: 'whsec', created_at: new Date(platform.clock.now()) })
      .execute();
  });
  afterEach(async () => {
    expect(server.pending(), 'every scripted reply was used').toBe(0);
    await platform.close();
  });

  /** A stored frame captured `secondsAgo` before now, with its job queued as the upload would. */
  async function storedFrame(secondsAgo = 1, body = jpeg): Promise<string> {
    const id = platform.ids.next();
    const at = new Date(platform.clock.now() - secondsAgo * 1000);
    const blobKey = frameBlobKey(ids.vehicleId, at, id);
    await platform.blobs.put(blobKey, body, { contentType: 'image/jpeg' });
    await platform.db.kysely
      .insertInto('frames')
      .values({ id, fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, device_id: ids.deviceId, blob_key: blobKey, captured_at: at, received_at: new Date(platform.clock.now()), size_bytes: body.length, width: 960, height: 540, analysis_status: 'pending' })
      .execute();
    await enqueueAnalysis(platform, id);
    return id;
  }
  const frameRow = (id: string) => platform.db.kysely.selectFrom('frames').select(['analysis_status', 'analysis']).where('id', '=', id).executeTakeFirstOrThrow();
  const incidents = () => platform.db.kysely.selectFrom('incidents').selectAll().where('vehicle_id', '=', ids.vehicleId).orderBy('created_at').execute();
  const count = async (table: 'alerts' | 'webhook_deliveries' | 'incident_frames') => Number((await platform.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const jobOf = (frameId: string) => platform.db.kysely.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('dedupe_id', '=', `analyse-frame:${frameId}`).executeTakeFirstOrThrow();
  /** Runs due jobs, then moves the clock past any backoff and runs again, `rounds` times. */
  async function drain(rounds = 1) {
    for (let i = 0; i < rounds; i++) {
      await platform.queue.runDue();
      platform.clock.advance(3_600_000);
    }
  }

  it('a phone verdict becomes an incident, an alert, a new_alert event and webhook deliveries; the frame keeps the result and its cost', async () => {
    server.enqueue(reply.verdict(phone, { ...looking, usage: { prompt_tokens: 500, completion_tokens: 60 } }));
    const frameId = await storedFrame();
    await drain();

    const frame = await frameRow(frameId);
    expect(frame.analysis_status).toBe('done');
    const analysis = frame.analysis as any;
    expect(analysis).toMatchObject({ analyser: 'openai', model: 'gpt-4o-mini', decided_by: 'model', verdict: { type: 'PHONE_USAGE', severity: 'HIGH' }, usage: { input_tokens: 500, output_tokens: 60 } });
    expect(analysis.cost).toBeGreaterThan(0);
    expect(analysis.latency_ms).toBeGreaterThanOrEqual(0);

    const [incident] = await incidents();
    expect(incident).toMatchObject({ type: 'PHONE_USAGE', severity: 'HIGH', source: 'vision', frame_id: frameId, occurrences: 1, status: 'open' });
    expect(await count('alerts')).toBe(1);
    expect(await count('incident_frames')).toBe(1);
    const alert = events.find((e) => e.type === 'new_alert');
    expect(alert?.data).toMatchObject({ incident_id: incident!.id, vehicle_id: ids.vehicleId, plate: 'VIS-001', source: 'vision', type: 'PHONE_USAGE', severity: 'HIGH', frame_id: frameId });
    expect(await count('webhook_deliveries')).toBe(1);
    expect(analysis.announcement.sent).toBe(true);

    const usage = await platform.db.kysely.selectFrom('vision_usage_daily').selectAll().where('fleet_id', '=', ids.fleetId).executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ frames: 1, model_calls: 1, input_tokens: 500, output_tokens: 60 });
    expect(usage.cost_usd).toBeCloseTo(analysis.cost, 10);
  });

  it('the same incident again within the merge window updates it (incident_updated), later it opens a new one (new_alert)', async () => {
    server.enqueue(reply.verdict(phone, holding), reply.verdict(phone, looking), reply.verdict(phone, holding));
    const first = await storedFrame();
    await platform.queue.runDue();
    platform.clock.advance(3 * 60_000);
    const second = await storedFrame();
    await platform.queue.runDue();
    const [incident, ...others] = await incidents();
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ occurrences: 2, severity: 'HIGH', frame_id: first });
    expect(await count('alerts')).toBe(1);
    const update = events.find((e) => e.type === 'incident_updated');
    expect(update?.data).toMatchObject({ incident_id: incident!.id, change: 'merged', occurrences: 2, severity: 'HIGH', previous_severity: 'MEDIUM', frame_id: second });
    expect(((await frameRow(second)).analysis as any).incident).toMatchObject({ id: incident!.id, outcome: 'merged', alert_id: null });
    expect(await platform.db.kysely.selectFrom('webhook_deliveries').select('event_type').orderBy('created_at').execute()).toEqual([{ event_type: 'new_alert' }, { event_type: 'incident_updated' }]);

    platform.clock.advance(11 * 60_000); // past the 10-minute window since the last sighting
    await storedFrame();
    await platform.queue.runDue();
    expect(await incidents()).toHaveLength(2);
    expect(events.filter((e) => e.type === 'new_alert')).toHaveLength(2);
  });

  it('INCIDENT_MERGE_WINDOW_MINUTES sets the window', async () => {
    platform.config = { ...platform.config, INCIDENT_MERGE_WINDOW_MINUTES: 2 };
    server.enqueue(reply.verdict(phone, looking), reply.verdict(phone, looking));
    await storedFrame();
    await platform.queue.runDue();
    platform.clock.advance(3 * 60_000);
    await storedFrame();
    await platform.queue.runDue();
    expect(await incidents()).toHaveLength(2);
  });

  it('places the incident at the nearest GPS fix and on the trip the taxi was driving', async () => {
    const db = platform.db.kysely;
    const now = platform.clock.now();
    const fix = (secondsFromNow: number, latitude: number) => ({ fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, device_time: new Date(now + secondsFromNow * 1000), received_at: new Date(now), latitude, longitude: -3.7 });
    await db.insertInto('gps_fixes').values([fix(-90, 40.1), fix(-6, 40.2), fix(20, 40.3)]).execute();
    const tripId = platform.ids.next();
    await db.insertInto('trips').values({ id: tripId, fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, started_at: new Date(now - 10 * 60_000) }).execute();
    server.enqueue(reply.verdict(phone, looking));
    await storedFrame(1); // captured 1 s ago: the fix 6 s ago is nearer than the one 20 s ahead
    await drain();
    const [incident] = await incidents();
    expect(incident).toMatchObject({ latitude: 40.2, longitude: -3.7, trip_id: tripId });
    expect(await db.selectFrom('trips').select('incident_count').where('id', '=', tripId).executeTakeFirstOrThrow()).toEqual({ incident_count: 1 });
    expect(events.find((e) => e.type === 'new_alert')?.data).toMatchObject({ latitude: 40.2, trip_id: tripId });
  });

  it('cascade: a driver on the phone for 70 s costs two cloud calls and makes one incident', async () => {
    platform.analyser = createCascadeAnalyser({ local: createRecordedSignalsAnalyser(() => ({ phone_score: 0.9 })), cloud: platform.analyser! });
    server.respondWith(() => reply.verdict(phone));
    const start = platform.clock.now();
    for (let i = 0; i < 8; i++) {
      platform.clock.set(start + i * 10_000);
      await storedFrame(0);
      await platform.queue.runDue();
    }
    expect(server.requests).toHaveLength(2); // the first frame, and again once its answer was a minute old
    const [incident, ...others] = await incidents();
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ type: 'PHONE_USAGE', occurrences: 8 });
    const usage = await platform.db.kysely.selectFrom('vision_usage_daily').selectAll().executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ frames: 8, model_calls: 2 });
  });

  it('cascade with the cloud down through every attempt: the local conclusion stands, marked uncertain, and still raises the incident', async () => {
    platform.analyser = createCascadeAnalyser({ local: createRecordedSignalsAnalyser(() => ({ phone_score: 0.9 })), cloud: platform.analyser! });
    server.respondWith(() => reply.status(503));
    const first = await storedFrame(0);
    await drain(4);
    expect((await frameRow(first)).analysis_status).toBe('pending'); // retried for the cloud's answer meanwhile
    await drain(1);
    // Taken 10 s after the first (the clock has moved five hours through the retries).
    const second = await storedFrame(5 * 3600 - 10);
    await drain(5);
    const [a, b] = [(await frameRow(first)).analysis as any, (await frameRow(second)).analysis as any];
    expect((await frameRow(first)).analysis_status).toBe('done');
    expect(a).toMatchObject({ decided_by: 'signals', uncertain: true, verdict: { incident_detected: false }, second_opinion_error: expect.stringMatching(/after 5 attempts/) });
    expect(b).toMatchObject({ decided_by: 'signals', uncertain: true, verdict: { incident_detected: true, type: 'PHONE_USAGE' } });
    expect(await incidents()).toEqual([expect.objectContaining({ type: 'PHONE_USAGE', frame_id: second })]);
    expect(server.requests).toHaveLength(10);
    expect((await jobOf(second)).status).toBe('done');
    const analyses = platform.metrics!.visionAnalyses;
    expect([analyses.get({ analyser: 'cascade', outcome: 'failed' }), analyses.get({ analyser: 'cascade', outcome: 'inconclusive' }), analyses.get({ analyser: 'cascade', outcome: 'incident' })]).toEqual([10, 1, 1]);
  });

  it('cascade with a cloud that refuses the request (a bad key): the local conclusion stands at once, no retries', async () => {
    platform.analyser = createCascadeAnalyser({ local: createRecordedSignalsAnalyser(() => ({ phone_score: 0.9 })), cloud: platform.analyser! });
    server.respondWith(() => reply.status(401, { message: 'Incorrect API key provided' }));
    const first = await storedFrame(0);
    await drain(1);
    const row = await frameRow(first);
    expect(row.analysis_status).toBe('done');
    expect(row.analysis).toMatchObject({ decided_by: 'signals', uncertain: true, second_opinion_error: expect.stringMatching(/no second opinion: .*refused the request.*HTTP 401/) });
    expect(server.requests).toHaveLength(1);
    expect((await jobOf(first)).status).toBe('done');
  });

  it('a "no incident" verdict stores the result and raises nothing', async () => {
    const frameId = await storedFrame();
    await drain();
    expect((await frameRow(frameId)).analysis_status).toBe('done');
    expect(await incidents()).toHaveLength(0);
    expect(events.filter((e) => e.type === 'new_alert')).toHaveLength(0);
  });

  it('a reply that violates the schema fails the attempt; the queue retries with backoff and the next answer counts once', async () => {
    server.enqueue(reply.schemaViolation(), reply.verdict(phone));
    const frameId = await storedFrame();
    await platform.queue.runDue();
    expect(await jobOf(frameId)).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await frameRow(frameId)).analysis_status).toBe('pending');
    await platform.queue.runDue(); // the backoff has not passed: nothing runs
    expect(server.requests).toHaveLength(1);
    platform.clock.advance(1_000);
    await platform.queue.runDue();
    expect(await jobOf(frameId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await incidents()).toHaveLength(1);
  });

  it('429 then success: one incident', async () => {
    server.enqueue(reply.status(429, { retryAfter: '1' }), reply.verdict(phone));
    const frameId = await storedFrame();
    await drain(2);
    expect((await frameRow(frameId)).analysis_status).toBe('done');
    expect(await incidents()).toHaveLength(1);
    expect(await count('alerts')).toBe(1);
  });

  it('a model that never answers in time is retried by the queue, then the job is a dead letter and the frame failed', async () => {
    platform.analyser = createOpenAiAnalyser({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 200, maxRetries: 0 });
    server.respondWith(() => reply.delay(2_000));
    const frameId = await storedFrame();
    await drain(4);
    expect((await frameRow(frameId)).analysis_status).toBe('pending');
    await drain(1);
    const job = await jobOf(frameId);
    expect(job).toMatchObject({ status: 'dead', attempts: 5 });
    const frame = await frameRow(frameId);
    expect(frame.analysis_status).toBe('failed');
    expect((frame.analysis as any).error).toMatch(/gave up after 5 attempts/);
    expect(server.requests).toHaveLength(5);
    const [dead] = await platform.queue.deadLetters();
    expect(dead!.name).toBe('analyse-frame');

    // The model is back; an admin replays the dead letter and the frame is analysed after all.
    server.respondWith(() => reply.verdict(phone));
    expect(await platform.queue.replay(dead!.id)).toBe(true);
    await drain();
    expect((await frameRow(frameId)).analysis_status).toBe('done');
    expect(await incidents()).toHaveLength(1);
  });

  it('a redelivered job changes nothing twice', async () => {
    server.enqueue(reply.verdict(phone));
    const frameId = await storedFrame();
    await drain();
    const before = { frame: await frameRow(frameId), incidents: await incidents(), alerts: await count('alerts'), events: events.length, hooks: await count('webhook_deliveries') };
    await analyseFrame(platform, { frameId }, { jobId: 'redelivery', attempt: 1 });
    expect(server.requests).toHaveLength(1);
    expect(await frameRow(frameId)).toEqual(before.frame);
    expect(await incidents()).toEqual(before.incidents);
    expect(await count('alerts')).toBe(before.alerts);
    expect(events.length).toBe(before.events);
    expect(await count('webhook_deliveries')).toBe(before.hooks);
  });

  it('an announcement that failed after the result was committed is sent by the retry, without a second incident', async () => {
    server.enqueue(reply.verdict(phone));
    const frameId = await storedFrame();
    const publish = platform.bus.publish;
    let failures = 1;
    platform.bus.publish = async (...args) => {
      if (args[1] === 'new_alert' && failures-- > 0) throw new Error('bus unavailable');
      return publish.apply(platform.bus, args);
    };
    await platform.queue.runDue();
    expect(await jobOf(frameId)).toMatchObject({ status: 'queued' });
    expect(await incidents()).toHaveLength(1);
    expect(events.filter((e) => e.type === 'new_alert')).toHaveLength(0);
    await drain(2);
    expect(await jobOf(frameId)).toMatchObject({ status: 'done' });
    expect(server.requests).toHaveLength(1);
    expect(await incidents()).toHaveLength(1);
    expect(events.filter((e) => e.type === 'new_alert')).toHaveLength(1);
  });

  it('without an analyser the frame is marked not_configured', async () => {
    platform.analyser = undefined;
    const frameId = await storedFrame();
    await drain();
    expect((await frameRow(frameId)).analysis_status).toBe('not_configured');
    expect(server.requests).toHaveLength(0);
  });

  it('an undecodable frame fails at once, with the reason, and is not retried', async () => {
    platform.analyser = createRecordedSignalsAnalyser(() => ({}));
    const frameId = await storedFrame(1, new Uint8Array([0, 1, 2, 3, 4]));
    await drain();
    const frame = await frameRow(frameId);
    expect(frame.analysis_status).toBe('failed');
    expect((frame.analysis as any).error).toMatch(/not a JPEG/);
    expect(await jobOf(frameId)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a frame whose image is gone from blob storage fails with that reason', async () => {
    const frameId = await storedFrame();
    const { blob_key } = await platform.db.kysely.selectFrom('frames').select('blob_key').where('id', '=', frameId).executeTakeFirstOrThrow();
    await platform.blobs.delete(blob_key);
    await drain();
    expect(((await frameRow(frameId)).analysis as any).error).toMatch(/missing from blob storage/);
  });

  it('a telemetry incident just before the frame is passed to the model as context', async () => {
    const at = new Date(platform.clock.now() - 4_000);
    await platform.db.kysely
      .insertInto('incidents')
      .values({ id: platform.ids.next(), fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, type: 'HARSH_BRAKING', severity: 'HIGH', source: 'telemetry', occurred_at: at, last_seen_at: at, created_at: at })
      .execute();
    const frameId = await storedFrame(1);
    await drain();
    expect(server.requests[0]!.userText).toMatch(/HARSH_BRAKING \(HIGH\) 3 s before this frame/);
    expect(((await frameRow(frameId)).analysis as any).context).toMatch(/HARSH_BRAKING/);
  });

  it('offline only: signals are judged over the vehicle’s window — one phone frame is nothing, the second is an incident', async () => {
    const scores = [0.02, 0.02, 0.9, 0.85];
    platform.analyser = createRecordedSignalsAnalyser((_, call) => ({ phone_score: scores[call] ?? 0.02 }));
    const frameIds: string[] = [];
    for (let i = 0; i < scores.length; i++) {
      frameIds.push(await storedFrame(1));
      await drain();
      platform.clock.set(new Date(Date.parse('2026-06-01T08:00:00Z') + (i + 1) * 10_000));
    }
    const analyses = await Promise.all(frameIds.map(async (id) => (await frameRow(id)).analysis as any));
    expect(analyses.map((a) => a.decided_by)).toEqual(['signals', 'signals', 'signals', 'signals']);
    expect(analyses[2]).toMatchObject({ verdict: { incident_detected: false }, uncertain: true });
    expect(analyses[3]).toMatchObject({ verdict: { incident_detected: true, type: 'PHONE_USAGE' } });
    expect(await incidents()).toHaveLength(1);
    const usage = await platform.db.kysely.selectFrom('vision_usage_daily').selectAll().executeTakeFirstOrThrow();
    expect(usage).toMatchObject({ frames: 4, model_calls: 0, cost_usd: 0 });
  });

  it('a road camera’s frames are kept as evidence and never judged by the driver rules', async () => {
    await platform.db.kysely.updateTable('devices').set({ camera_role: 'road' }).where('id', '=', ids.deviceId).execute();
    platform.analyser = createRecordedSignalsAnalyser(() => ({ face_found: false, body_found: false, body: null, person_count: 0 }));
    const frameIds = [];
    for (let i = 0; i < 4; i++) {
      frameIds.push(await storedFrame(40 - i * 10));
      await drain();
    }
    expect((platform.analyser as ReturnType<typeof createRecordedSignalsAnalyser>).calls).toHaveLength(0);
    expect(await incidents()).toHaveLength(0);
    expect(await frameRow(frameIds[3]!)).toMatchObject({ analysis_status: 'done', analysis: { camera_role: 'road', decided_by: 'camera_role', verdict: null } });
  });

  it('a cabin camera calibrates from frames taken while moving, and a phone at a taxi rank is no incident', async () => {
    const db = platform.db.kysely;
    const start = platform.clock.now();
    // The taxi drives at 40 km/h for the first 21 frames, then stands at a rank.
    for (let i = 0; i < 24; i++) await db.insertInto('gps_fixes').values({ fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, device_time: new Date(start + i * 10_000), received_at: new Date(start), latitude: 40.4, longitude: -3.7, speed_kmh: i < 21 ? 40 : 0 }).execute();
    const atEar = withPoint(FRONT_CALM, 'right_wrist', 0.45, 0.27);
    platform.analyser = createRecordedSignalsAnalyser((_, call) => (call < 21 ? FRONT_CALM : atEar));
    for (let i = 0; i < 24; i++) {
      platform.clock.set(start + i * 10_000);
      await storedFrame(0);
      await drain();
    }
    const calibration = await db.selectFrom('camera_calibrations').selectAll().where('device_id', '=', ids.deviceId).executeTakeFirstOrThrow();
    expect(calibration).toMatchObject({ status: 'ready', fleet_id: ids.fleetId });
    const frames = await db.selectFrom('frames').select(['analysis']).where('vehicle_id', '=', ids.vehicleId).orderBy('captured_at').execute();
    const analyses = frames.map((f) => f.analysis as any);
    expect(analyses[0]).toMatchObject({ calibrating: true, speed_kmh: 40 });
    expect(analyses.filter((a) => a.calibration_event === 'learned')).toHaveLength(1);
    expect(analyses[20]).toMatchObject({ calibrating: false, attentive: true });
    // Hand at the ear in three frames at the rank: seen, said, not raised.
    expect(analyses[23]).toMatchObject({ speed_kmh: 0, detail: 'phone_at_ear', verdict: { incident_detected: false } });
    expect(analyses[23].verdict.description).toMatch(/taxi detenido/); // the fleet's language (es)
    expect(await incidents()).toHaveLength(0);
  });
});
