/**
 * Prioritised vision through the app (issue 20): each uploaded frame gets a priority (device trigger, moving cabin,
 * a telemetry event just before, else routine) and its job that priority; a fleet over its routine backlog has
 * further routine frames skipped (`backlog`) and its devices told to slow down, another fleet not; routine frames
 * that waited too long are skipped (`stale`) by the job while high ones are analysed; /metrics and the admin API
 * show the share and the lag per fleet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../e2e/support/prometheus-text.ts';
import { FRONT_CALM } from '../../e2e/support/driver-signals.ts';
import { createRecordedSignalsAnalyser } from '../../e2e/support/recorded-signals-analyser.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const jpeg = new Uint8Array(
  readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')),
);
const METRICS_TOKEN = 'vision-scrape-token-0123456789';

describe('prioritised vision', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let a: { fleetId: string; vehicleId: string; key: string };
  let b: { fleetId: string; vehicleId: string; key: string };
  let admin: string;
  let second = 0;

  const upload = async (key: string, headers: Record<string, string> = {}) => {
    const capturedAt = new Date(platform.clock.now() - 30_000 + ++second * 10).toISOString();
    const res = await app.request('/api/v1/video/frames/upload', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'image/jpeg',
        'x-captured-at': capturedAt,
        ...headers,
      },
      body: jpeg,
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(202);
    return body as { frame_id: string; routine_frame_interval_s?: number };
  };
  const frame = (id: string) =>
    platform.db.kysely
      .selectFrom('frames')
      .select(['priority', 'priority_reason', 'analysis_status', 'analysis'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const job = (id: string) =>
    platform.db.kysely
      .selectFrom('jobs')
      .select('priority')
      .where('dedupe_id', '=', `analyse-frame:${id}`)
      .executeTakeFirst();
  const fixes = (key: string, speed: number) =>
    app.request('/api/v1/tracking/location', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        fixes: [
          { latitude: 52.37, longitude: 4.89, speed, timestamp: new Date(platform.clock.now() - 35_000).toISOString() },
        ],
      }),
    });

  beforeAll(async () => {
    platform = await createTestPlatform({
      VISION_ROUTINE_BACKLOG: '3',
      VISION_ROUTINE_MAX_AGE_S: '120',
      METRICS_TOKEN,
    });
    platform.analyser = createRecordedSignalsAnalyser(() => FRONT_CALM);
    platform.queue.setHandlers(jobHandlers(platform));
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const make = async (name: string) => {
      const fleetId = (await createFleet(deps, { name })).id;
      const vehicleId = (await createVehicle(deps, { fleetId, plate: `${name}-1` })).id;
      return { fleetId, vehicleId, key: (await createDevice(deps, { vehicleId })).key };
    };
    a = await make('Alpha');
    b = await make('Bravo');
    await createUser(deps, { fleetId: null, email: 'admin@vision.test', password: 'vision-pass-123', role: 'admin' });
    admin = await loginForTest(app, platform.clock, 'admin@vision.test', 'vision-pass-123');
  });
  afterAll(() => platform.close());

  it('gives a parked cabin routine priority, a device trigger and a moving cabin high priority, and queues each at it', async () => {
    const parked = await upload(a.key);
    expect(await frame(parked.frame_id)).toMatchObject({ priority: 'routine', priority_reason: null, analysis_status: 'pending' });
    expect(await job(parked.frame_id)).toEqual({ priority: 0 });
    const triggered = await upload(a.key, { 'x-frame-trigger': '1' });
    expect(await frame(triggered.frame_id)).toMatchObject({ priority: 'high', priority_reason: 'device_trigger' });
    expect(await job(triggered.frame_id)).toEqual({ priority: 10 });
    expect((await fixes(b.key, 45)).status).toBe(202);
    const moving = await upload(b.key);
    expect(await frame(moving.frame_id)).toMatchObject({ priority: 'high', priority_reason: 'moving_cabin' });
    expect(await job(moving.frame_id)).toEqual({ priority: 10 });
  });

  it('skips routine frames past the fleet backlog and tells only that fleet’s devices to slow down', async () => {
    await upload(a.key);
    const third = await upload(a.key); // Alpha now waits on 3 routine frames (the limit)
    expect(third.routine_frame_interval_s).toBeUndefined(); // the budget was read before this frame (5 s memo)
    platform.clock.advance(6_000);
    const over = await upload(a.key);
    expect(over.routine_frame_interval_s).toBe(60);
    expect(await frame(over.frame_id)).toMatchObject({
      analysis_status: 'skipped',
      analysis: { skipped_reason: 'backlog' },
    });
    expect(await job(over.frame_id)).toBeUndefined();
    // High frames still go through; the fix answer carries the advice too; the other fleet hears nothing of it.
    const high = await upload(a.key, { 'x-frame-trigger': 'harsh_braking' });
    expect(await frame((await upload(a.key, { 'x-frame-trigger': '0' })).frame_id)).toMatchObject({
      analysis_status: 'skipped',
      priority: 'routine',
    });
    expect(await frame(high.frame_id)).toMatchObject({ analysis_status: 'pending', priority: 'high' });
    expect(await (await fixes(a.key, 0)).json()).toMatchObject({ routine_frame_interval_s: 60 });
    expect(await (await fixes(b.key, 0)).json()).not.toHaveProperty('routine_frame_interval_s');
    expect((await upload(b.key)).routine_frame_interval_s).toBeUndefined();
  });

  it('lets stale routine frames go with their reason and analyses high ones first, however old', async () => {
    platform.clock.advance(121_000);
    await platform.queue.runDue();
    const rows = await platform.db.kysely
      .selectFrom('frames')
      .select(['fleet_id', 'priority', 'analysis_status', 'analysis'])
      .execute();
    for (const row of rows.filter((r) => r.priority === 'high')) expect(row.analysis_status).toBe('done');
    const routine = rows.filter((r) => r.priority === 'routine' && r.analysis_status !== 'skipped');
    expect(routine).toEqual([]);
    const reasons = rows
      .filter((r) => r.analysis_status === 'skipped')
      .map((r) => (r.analysis as { skipped_reason: string }).skipped_reason);
    expect(reasons.sort()).toEqual(['backlog', 'backlog', 'stale', 'stale', 'stale', 'stale']);
  });

  it('shows the analysed share, the skips by reason and the lag per fleet in /metrics and the admin API', async () => {
    const metrics = parseExposition(
      await (await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
    );
    expect(metrics.value('taxiwatch_vision_frames', { fleet: a.fleetId, state: 'received' })).toBe(7);
    expect(metrics.value('taxiwatch_vision_frames', { fleet: a.fleetId, state: 'analysed' })).toBe(2);
    expect(metrics.value('taxiwatch_vision_frames', { fleet: a.fleetId, state: 'skipped_stale' })).toBe(3);
    expect(metrics.value('taxiwatch_vision_frames', { fleet: a.fleetId, state: 'skipped_backlog' })).toBe(2);
    expect(metrics.value('taxiwatch_vision_analysed_ratio', { fleet: a.fleetId })).toBeCloseTo(2 / 7, 3);
    expect(
      metrics.value('taxiwatch_vision_lag_seconds', { fleet: b.fleetId, priority: 'high', quantile: '0.95' }),
    ).toBeGreaterThan(120);
    expect(metrics.value('taxiwatch_vision_skipped_total', { reason: 'stale' })).toBe(4);
    const system = await (
      await app.request('/api/v1/admin/system', { headers: { authorization: `Bearer ${admin}` } })
    ).json();
    expect(system.vision.fleets.find((f: { fleet_id: string }) => f.fleet_id === b.fleetId)).toMatchObject({
      fleet_name: 'Bravo',
      received: 2,
      analysed: 1,
      skipped: { stale: 1, backlog: 0 },
    });
    const page = await (await app.request('/admin?lang=en', { headers: { cookie: `tw_access=${admin}` } })).text();
    expect(page).toMatch(/<tr data-vision-fleet="[^"]+"[^>]*><th scope="row"[^>]*>Alpha<\/th>/);
  });
});
