/**
 * Uploads answer before the analysis job is queued: the job still follows, and a frame whose job was lost (a crash
 * between the answer and the enqueue) is queued again by the sweep — once, and only when it is truly lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createApp } from '../edge/app.ts';
import { analyseFrameDedupeId } from '../edge/domain/frames/store-frame.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { requeuePendingFrames } from './requeue-pending-frames.ts';

const jpeg = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));

describe('requeue-pending-frames', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let ids: { fleetId: string; vehicleId: string; deviceId: string; key: string };
  const jobsFor = (frameId: string) => platform.db.kysely.selectFrom('jobs').select(['id', 'status']).where('dedupe_id', '=', analyseFrameDedupeId(frameId)).execute();
  const sweep = () => requeuePendingFrames(platform, {}, { jobId: 'test', attempt: 1 });
  const insertFrame = async (status: 'pending' | 'done', receivedSecondsAgo: number) => {
    const id = platform.ids.next();
    const at = new Date(platform.clock.now() - receivedSecondsAgo * 1000);
    await platform.db.kysely
      .insertInto('frames')
      .values({ id, fleet_id: ids.fleetId, vehicle_id: ids.vehicleId, device_id: ids.deviceId, blob_key: `frames/${ids.vehicleId}/${id}.jpg`, captured_at: at, received_at: at, size_bytes: 10, width: 1, height: 1, analysis_status: status })
      .execute();
    return id;
  };

  beforeEach(async () => {
    platform = await createTestPlatform({ INGEST_IN_BACKGROUND: 'true' });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Requeue' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'RQ-1' })).id;
    const device = await createDevice(deps, { vehicleId });
    ids = { fleetId, vehicleId, deviceId: device.id, key: device.key };
  });
  afterEach(() => platform.close());

  it('an upload answered before its job is queued still gets exactly one job, and the new_frame event', async () => {
    const events: string[] = [];
    await platform.bus.subscribe(ids.fleetId, (e) => events.push(e.type));
    const res = await app.request('/api/v1/video/frames/upload', { method: 'POST', headers: { authorization: `Bearer ${ids.key}`, 'content-type': 'image/jpeg' }, body: jpeg });
    expect(res.status).toBe(202);
    const { frame_id } = (await res.json()) as { frame_id: string };
    await expect.poll(() => jobsFor(frame_id).then((j) => j.length)).toBe(1);
    await expect.poll(() => events).toContain('new_frame');
    platform.clock.advance(10 * 60_000);
    await sweep();
    expect(await jobsFor(frame_id)).toHaveLength(1);
  });

  it('queues a pending frame with no job once it is older than two minutes, and only once', async () => {
    const lost = await insertFrame('pending', 180);
    const recent = await insertFrame('pending', 30);
    const analysed = await insertFrame('done', 600);
    await sweep();
    expect(await jobsFor(lost)).toEqual([expect.objectContaining({ status: 'queued' })]);
    expect(await jobsFor(recent)).toHaveLength(0);
    expect(await jobsFor(analysed)).toHaveLength(0);
    await sweep();
    expect(await jobsFor(lost)).toHaveLength(1);
    expect(platform.logLines.filter((l) => l.msg === 'queued analysis again for frames whose job was lost')).toHaveLength(1);
  });

  it('queues a reopened frame’s own round (a reviewer’s request, a late event) at its priority, not the upload’s job', async () => {
    const reopened = await insertFrame('pending', 300);
    await platform.db.kysely.updateTable('frames').set({ priority: 'high', priority_reason: 'reviewer', analysis_round: 2 }).where('id', '=', reopened).execute();
    await sweep();
    const jobs = await platform.db.kysely.selectFrom('jobs').select(['dedupe_id', 'priority']).where('dedupe_id', 'like', `${analyseFrameDedupeId(reopened)}%`).execute();
    expect(jobs).toEqual([{ dedupe_id: analyseFrameDedupeId(reopened, 2), priority: 10 }]);
  });
});
