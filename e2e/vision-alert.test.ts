/**
 * End to end over real loopback HTTP: a taxi camera uploads a frame the way the simulator does (raw JPEG with
 * X-Captured-At), the durable queue's worker runs analyse-frame, the OpenAI-compatible model (loopback) says
 * PHONE_USAGE, and the fleet owner's live feed (SSE) receives the new_alert — then, for the next frame of the same
 * episode, an incident_updated instead of a second alert.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiAnalyser } from '../edge/adapters/analyser/openai-analyser.ts';
import { createApp } from '../edge/app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { NO_FAULTS } from '../firmware/simulator/faults.ts';
import { runSimulation } from '../firmware/simulator/simulator.ts';
import { loadFrames, loadTracks } from '../firmware/simulator/track-loader.ts';
import { jobHandlers } from '../jobs/index.ts';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from './support/openai-compatible-server.ts';
import { collectSse } from './support/sse-client.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { loginForTest } from './support/test-sessions.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidYellowLeft.jpg')));
const phone = { incident_detected: true, type: 'PHONE_USAGE', confidence: 0.92, description: 'The driver is typing on a phone.' };
// The model reports what it saw; the severity policy makes typing on a phone while (possibly) moving HIGH.
const typing = { signals: { driver_visible: true, face_visible: true, person_count: 1, phone_in_hand: true, phone_at_ear: false, phone_looked_at: true, eyes_closed: false, yawning: false, looking_away: false, smoking: false, lens_blocked: false, collision_visible: false } };

describe('a frame becomes an alert on the live feed', () => {
  let model: OpenAiCompatibleServer;
  let platform: TestPlatform;
  let server: ReturnType<typeof serve>;
  let base: string;
  let token: string;
  let deviceKey: string;
  let vehicleId: string;

  beforeAll(async () => {
    model = await startOpenAiCompatibleServer();
    platform = await createTestPlatform();
    platform.analyser = createOpenAiAnalyser({ apiKey: 'sk-e2e', baseURL: model.baseURL, model: 'gpt-4o-mini', timeoutMs: 10_000, maxRetries: 0 });
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'E2E vision' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'E2E-PHN' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
    await createUser(deps, { fleetId, email: 'owner@vision-e2e.test', password: 'vision-e2e-password', role: 'owner' });
    token = await loginForTest(app, platform.clock, 'owner@vision-e2e.test', 'vision-e2e-password');
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    platform.queue.start(jobHandlers(platform));
  }, 60_000);
  afterAll(async () => {
    await platform?.queue.stop();
    if (server) await new Promise((resolve) => server.close(resolve));
    await model?.close();
    await platform?.close();
  });

  const upload = (capturedAt: Date) =>
    fetch(`${base}/api/v1/video/frames/upload`, { method: 'POST', headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'image/jpeg', 'x-captured-at': capturedAt.toISOString() }, body: jpeg });

  it('PHONE_USAGE from the model reaches the owner as new_alert, and the episode’s next frame as incident_updated', async () => {
    model.enqueue(reply.verdict(phone, typing), reply.verdict(phone, typing));
    const feed = collectSse(await fetch(`${base}/api/v1/live?types=new_alert,incident_updated`, { headers: { authorization: `Bearer ${token}` } }));
    await feed.connected;

    const started = performance.now();
    const first = await upload(new Date(platform.clock.now() - 2_000));
    expect(first.status).toBe(202);
    const { frame_id } = (await first.json()) as { frame_id: string };
    expect(await feed.waitFor((events) => events.some((e) => e.event === 'new_alert'), 15_000)).toBe(true);
    const uploadToAlertMs = performance.now() - started;
    const alert = JSON.parse(feed.events.find((e) => e.event === 'new_alert')!.data!);
    expect(alert).toMatchObject({ type: 'PHONE_USAGE', severity: 'HIGH', source: 'vision', vehicle_id: vehicleId, plate: 'E2E-PHN', frame_id });
    // The model saw the uploaded bytes.
    expect(model.requests[0]!.imageUrl).toBe(`data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`);

    expect((await upload(new Date(platform.clock.now() - 1_000))).status).toBe(202);
    expect(await feed.waitFor((events) => events.some((e) => e.event === 'incident_updated'), 15_000)).toBe(true);
    await feed.close();
    expect(feed.events.filter((e) => e.event === 'new_alert')).toHaveLength(1);
    expect(JSON.parse(feed.events.find((e) => e.event === 'incident_updated')!.data!)).toMatchObject({ incident_id: alert.incident_id, occurrences: 2 });
    console.info(`vision e2e: upload → new_alert on the live feed in ${uploadToAlertMs.toFixed(0)} ms (queue poll 20 ms, loopback model)`);
  }, 60_000);

  it('a frame the simulator uploads, as a taxi would, becomes an alert on the live feed', async () => {
    model.respondWith(() => reply.verdict({ ...phone, type: 'DROWSINESS', description: 'The driver’s eyes are closed.' }));
    const feed = collectSse(await fetch(`${base}/api/v1/live?types=new_alert`, { headers: { authorization: `Bearer ${token}` } }));
    await feed.connected;
    // Simulated time a few minutes before the server's clock; sleeping moves it on at once.
    let now = platform.clock.now() - 5 * 60_000;
    const stats = await runSimulation({
      baseUrl: base,
      keys: [deviceKey],
      tracks: loadTracks(sharedDataDir()).slice(0, 1),
      frames: loadFrames(sharedDataDir()).slice(0, 1),
      durationSeconds: 30,
      frameEverySeconds: 10,
      faults: NO_FAULTS,
      seed: 3,
      clock: { now: () => now, sleep: async (ms) => void (now += ms) },
    });
    expect(stats.framesStored).toBeGreaterThan(0);
    expect(await feed.waitFor((events) => events.some((e) => e.event === 'new_alert' && JSON.parse(e.data!).type === 'DROWSINESS'), 15_000)).toBe(true);
    await feed.close();
  }, 60_000);
});
