/**
 * A reviewer's "analyse again" (issue 20): POST /api/v1/frames/{id}/analyse queues a skipped or analysed frame at
 * high priority (reason `reviewer`), once however often it is asked while pending or retried with its
 * Idempotency-Key; the new result replaces the old one, which stays in analysis_history; a re-analysis that finds
 * what an incident already holds the frame for makes no second incident or alert. Bad ids are 400, other fleets'
 * frames 404, viewers 403.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { createApp } from '../app.ts';
import { analyseFrameDedupeId, enqueueAnalysis, frameBlobKey } from '../domain/frames/store-frame.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';
import { visionStats } from '../domain/vision/vision-stats.ts';
import type { VisionVerdict } from '../domain/vision/vision-verdict.ts';
import type { Analyser } from '../ports/analyser.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));
const PHONE: VisionVerdict = { incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, description: 'The driver holds a phone.' };
const CALM: VisionVerdict = { incident_detected: false, type: null, severity: null, confidence: 0.9, description: 'Nothing wrong.' };

// The reopening is one guarded UPDATE per request: run it on both engines the product ships with.
const backends = [{ database: 'pglite' as const }, ...((await postgresAvailable()) ? [{ database: 'postgres' as const }] : [])];

describe.each(backends)('POST /api/v1/frames/{id}/analyse on $database', ({ database }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let a: { fleetId: string; vehicleId: string; deviceId: string };
  let otherFleetFrame: string;
  let owner: string;
  let viewer: string;
  const verdicts: VisionVerdict[] = [];
  let taken = 0;
  const analyser: Analyser & { calls: number } = {
    name: 'scripted',
    calls: 0,
    async analyse() {
      analyser.calls++;
      return { analyser: 'scripted', model: 'scripted-1', verdict: verdicts.shift() ?? CALM, signals: null, usage: null, latencyMs: 1 };
    },
  };

  const storedFrame = async (fleet: { fleetId: string; vehicleId: string; deviceId: string }, status: 'pending' | 'done' | 'skipped', analysis: unknown = null) => {
    const id = platform.ids.next();
    const at = new Date(platform.clock.now() - 5_000 + ++taken); // one frame per millisecond: (device, time) is unique
    const blobKey = frameBlobKey(fleet.vehicleId, at, id);
    await platform.blobs.put(blobKey, jpeg, { contentType: 'image/jpeg' });
    await platform.db.kysely
      .insertInto('frames')
      .values({ id, fleet_id: fleet.fleetId, vehicle_id: fleet.vehicleId, device_id: fleet.deviceId, blob_key: blobKey, captured_at: at, received_at: at, size_bytes: jpeg.length, width: 960, height: 540, analysis_status: status, analysis: analysis === null ? null : JSON.stringify(analysis) })
      .execute();
    return id;
  };
  const analyse = (id: string, token = owner, headers: Record<string, string> = {}) => app.request(`/api/v1/frames/${id}/analyse`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers } });
  const frame = (id: string) => platform.db.kysely.selectFrom('frames').select(['analysis_status', 'analysis', 'priority', 'priority_reason', 'analysis_round', 'analysis_history']).where('id', '=', id).executeTakeFirstOrThrow();
  const jobsOf = (id: string) => platform.db.kysely.selectFrom('jobs').select(['id', 'dedupe_id', 'priority']).where('dedupe_id', 'like', `${analyseFrameDedupeId(id)}%`).orderBy('dedupe_id').execute();
  const count = async (table: 'incidents' | 'alerts') => Number((await platform.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', a.vehicleId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
    platform.analyser = analyser;
    platform.queue.setHandlers(jobHandlers(platform));
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const make = async (name: string) => {
      const fleetId = (await createFleet(deps, { name })).id;
      const vehicleId = (await createVehicle(deps, { fleetId, plate: `${name}-1` })).id;
      return { fleetId, vehicleId, deviceId: (await createDevice(deps, { vehicleId })).id };
    };
    a = await make('Alpha');
    const b = await make('Bravo');
    otherFleetFrame = await storedFrame(b, 'done', { verdict: null });
    await createUser(deps, { fleetId: a.fleetId, email: 'owner@reanalyse.test', password: 'owner-pass-123', role: 'owner' });
    await createUser(deps, { fleetId: a.fleetId, email: 'viewer@reanalyse.test', password: 'viewer-pass-123', role: 'viewer' });
    owner = await loginForTest(app, platform.clock, 'owner@reanalyse.test', 'owner-pass-123');
    viewer = await loginForTest(app, platform.clock, 'viewer@reanalyse.test', 'viewer-pass-123');
  });
  afterAll(() => platform?.close());

  it('refuses a bad id (400 JSON), another fleet’s frame or an unknown one (404), a viewer (403) and no credentials (401)', async () => {
    for (const badId of ['not%20a%20frame', 'frame%3Bdrop', 'f'.repeat(65)]) {
      const bad = await analyse(badId);
      expect(bad.status, badId).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'id' }] } });
    }
    expect((await analyse(otherFleetFrame)).status).toBe(404);
    expect((await analyse('01900000-0000-7000-8000-000000000000')).status).toBe(404);
    const mine = await storedFrame(a, 'skipped', { skipped_reason: 'stale' });
    expect((await analyse(mine, viewer)).status).toBe(403);
    expect((await app.request(`/api/v1/frames/${mine}/analyse`, { method: 'POST' })).status).toBe(401);
    const longKey = await analyse(mine, owner, { 'idempotency-key': 'k'.repeat(201) });
    expect(longKey.status).toBe(400);
    // None of that queued or reopened anything.
    expect(await frame(mine)).toMatchObject({ analysis_status: 'skipped', analysis_round: 0 });
    expect(await frame(otherFleetFrame)).toMatchObject({ analysis_status: 'done', analysis_round: 0 });
    expect(await jobsOf(mine)).toEqual([]);
  });

  it('queues a skipped frame at high priority once, however often it is asked while pending, and analyses it', async () => {
    const id = await storedFrame(a, 'skipped', { skipped_reason: 'backlog', skipped_at: new Date(platform.clock.now()).toISOString() });
    const first = await analyse(id);
    expect(first.status).toBe(202);
    const body = await first.json();
    expect(body).toMatchObject({ frame_id: id, analysis_status: 'pending', priority: 'high', priority_reason: 'reviewer', analysis_round: 1, queued: true });
    const again = await analyse(id); // a double click
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ queued: false, analysis_round: 1, job_id: body.job_id });
    expect(await jobsOf(id)).toEqual([{ id: body.job_id, dedupe_id: `${analyseFrameDedupeId(id)}:1`, priority: 10 }]);
    const row = await frame(id);
    expect(row.analysis_history).toEqual([expect.objectContaining({ status: 'skipped', analysis: expect.objectContaining({ skipped_reason: 'backlog' }), replaced_for: 'reviewer' })]);

    const calls = analyser.calls;
    await platform.queue.runDue();
    expect(analyser.calls).toBe(calls + 1);
    expect(await frame(id)).toMatchObject({ analysis_status: 'done', analysis: expect.objectContaining({ analyser: 'scripted' }), analysis_round: 1 });
    // The frame as the API shows it: its priority, its round and what the re-analysis replaced.
    const shown = await (await app.request(`/api/v1/frames/${id}`, { headers: { authorization: `Bearer ${owner}` } })).json();
    expect(shown).toMatchObject({ priority: 'high', priority_reason: 'reviewer', analysis_round: 1, analysis_history: [expect.objectContaining({ status: 'skipped' })] });
  });

  it('queues one round for two requests that race', async () => {
    const id = await storedFrame(a, 'skipped', { skipped_reason: 'stale' });
    const answers = await Promise.all([analyse(id), analyse(id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(await frame(id)).toMatchObject({ analysis_round: 1, analysis_status: 'pending' });
    expect(await jobsOf(id)).toHaveLength(1);
    await platform.queue.runDue();
  });

  it('re-analyses an analysed frame: the new result replaces the old, the incident it found is kept, never doubled', async () => {
    const id = await storedFrame(a, 'pending');
    verdicts.push(PHONE);
    await enqueueAnalysis(platform, id); // as the upload would
    await platform.queue.runDue();
    expect(await count('incidents')).toBe(1);
    const firstAnalysis = (await frame(id)).analysis as { incident: { id: string; outcome: string } };
    expect(firstAnalysis.incident.outcome).toBe('created');

    // The reviewer closes the incident as a false positive (so it is no longer open to merge into) and asks again;
    // the same finding again: the incident holds the frame already — no second incident, no second alert.
    const reviewed = await app.request(`/api/v1/incidents/${firstAnalysis.incident.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'false_positive', reason_code: 'passenger' }) });
    expect(reviewed.status).toBe(200);
    verdicts.push(PHONE);
    platform.clock.advance(60_000);
    expect((await analyse(id, owner, { 'idempotency-key': 'click-1' })).status).toBe(202);
    await platform.queue.runDue();
    const second = await frame(id);
    expect(second).toMatchObject({ analysis_status: 'done', analysis_round: 1, analysis: expect.objectContaining({ incident: { id: firstAnalysis.incident.id, outcome: 'existing', alert_id: null } }) });
    expect(second.analysis_history).toEqual([expect.objectContaining({ status: 'done', analysis: expect.objectContaining({ incident: expect.objectContaining({ outcome: 'created' }) }) })]);
    expect(await count('incidents')).toBe(1);
    expect(await count('alerts')).toBe(1);

    // A retry of that request after its round settled queues nothing; a new request is a new round.
    const retry = await analyse(id, owner, { 'idempotency-key': 'click-1' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ queued: false, analysis_status: 'done', analysis_round: 1, job_id: null });
    expect(await jobsOf(id)).toHaveLength(2);

    // Nothing found this time: the new result replaces the old one; the incident (a person's record) stays.
    verdicts.push(CALM);
    expect(await (await analyse(id, owner, { 'idempotency-key': 'click-2' })).json()).toMatchObject({ queued: true, analysis_round: 2 });
    await platform.queue.runDue();
    const third = await frame(id);
    expect(third).toMatchObject({ analysis_status: 'done', analysis_round: 2, analysis: expect.objectContaining({ incident: null }) });
    expect(third.analysis_history).toHaveLength(2);
    expect(await count('incidents')).toBe(1);
    expect(await jobsOf(id)).toHaveLength(3);
  });

  it('counts the frames a reviewer had analysed as analysed, but leaves them out of the analysis lag', async () => {
    const stats = (await visionStats(platform.db.kysely, platform.clock.now())).find((f) => f.fleet_id === a.fleetId);
    // The stale frame is the one the viewer was refused in the first test.
    expect(stats).toMatchObject({ analysed: 3, skipped: { stale: 1, backlog: 0 }, lag_p50_s: null, high_lag_p95_s: null });
  });
});
