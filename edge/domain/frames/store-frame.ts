/**
 * Stores one accepted camera frame: the JPEG in blob storage, its row in `frames`, the `analyse-frame` job and a
 * `new_frame` live event. Devices retry, so the same device + captured_at is a duplicate answered with the first
 * frame, never a second row or a second blob.
 *
 * Order of writes, chosen so that no crash can leave a row pointing at a missing blob:
 *   1. blob, under a key unique to this attempt (`frames/{vehicle}/{captured_ms}-{frame_id}.jpg`);
 *   2. row, `INSERT … ON CONFLICT (device_id, captured_at) DO NOTHING RETURNING` — the database decides the race
 *      (uploads that arrive together share one such statement);
 *   3. the loser of a race (or a retry) deletes the blob it wrote and answers with the winner's row.
 * A crash after 1 and before 2 (or before the delete in 3) leaves an unreferenced blob, never a dangling row.
 * The key carries the frame id rather than only the time because two uploads with the same captured_at would
 * otherwise share a key, and the loser's `put` would overwrite the evidence the winner's row points at (two cameras
 * on one vehicle, or a retry with different bytes). New frames are the common case, so nothing is looked up first.
 *
 * The triage (frame-triage.ts: priority, then the job or a `backlog` skip) and the live event follow the answer
 * (`background`): the device needs to know its frame is stored, not that it was queued. A frame whose job was lost in between (a crash) stays `pending` and is queued again by
 * `requeue-pending-frames` (jobs/), as a retried upload would.
 */
import type { Insertable } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Database } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import { createGroupedCalls, perOwner } from '../grouped-calls.ts';
import { afterAnswer, type Background } from '../after-answer.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { enqueueAnalysis, triageFrame } from './frame-triage.ts';
import type { JpegInfo } from './jpeg-info.ts';

export { ANALYSE_FRAME_JOB, ANALYSE_FRAME_MAX_ATTEMPTS, analyseFrameDedupeId, enqueueAnalysis } from './frame-triage.ts';

export interface StoredFrame {
  frame_id: string;
  captured_at: string;
  width: number | null;
  height: number | null;
  size_bytes: number;
  duplicate: boolean;
}

export const frameBlobKey = (vehicleId: string, capturedAt: Date, frameId: string) => `frames/${vehicleId}/${capturedAt.getTime()}-${frameId}.jpg`;

export async function storeFrame(platform: Platform, device: DeviceIdentity, capturedAt: Date, image: Uint8Array, info: Pick<JpegInfo, 'width' | 'height'>, options: { background?: Background; deviceTrigger?: boolean } = {}): Promise<StoredFrame> {
  // No look-up first: a new frame (the usual case) costs the insert alone; a retry writes a spare blob that the
  // lost insert removes again.
  const frameId = platform.ids.next();
  const blobKey = frameBlobKey(device.vehicleId, capturedAt, frameId);
  await platform.blobs.put(blobKey, image, { contentType: 'image/jpeg' });
  let inserted: boolean;
  try {
    inserted = await insertFrameGrouped(platform, {
      id: frameId,
      fleet_id: device.fleetId,
      vehicle_id: device.vehicleId,
      device_id: device.deviceId,
      blob_key: blobKey,
      captured_at: capturedAt,
      received_at: new Date(platform.clock.now()),
      size_bytes: image.byteLength,
      width: info.width,
      height: info.height,
      analysis_status: 'pending',
    });
  } catch (error) {
    await platform.blobs.delete(blobKey).catch(() => {});
    throw error;
  }
  if (!inserted) {
    // A retry, or a race with an identical upload: ours is the spare copy.
    await platform.blobs.delete(blobKey);
    const winner = await findFrame(platform, device.deviceId, capturedAt);
    if (!winner) throw new Error(`frame for device ${device.deviceId} at ${capturedAt.toISOString()} conflicted but cannot be found`);
    return duplicateOf(platform, winner);
  }

  const stored: StoredFrame = { frame_id: frameId, captured_at: capturedAt.toISOString(), width: info.width, height: info.height, size_bytes: image.byteLength, duplicate: false };
  const announce = async () => {
    await triageFrame(platform, { id: frameId, fleetId: device.fleetId, vehicleId: device.vehicleId, deviceId: device.deviceId, capturedAt, deviceTrigger: options.deviceTrigger ?? false });
    await platform.bus.publish(device.fleetId, 'new_frame', {
      frame_id: frameId,
      vehicle_id: device.vehicleId,
      device_id: device.deviceId,
      captured_at: stored.captured_at,
      width: info.width,
      height: info.height,
      size_bytes: stored.size_bytes,
    });
  };
  await afterAnswer(options.background, announce, (error) => platform.log.error('queueing a stored frame failed; requeue-pending-frames will retry', { frameId, error: String(error) }));
  return stored;
}

type NewFrame = Required<Pick<Insertable<Database['frames']>, 'fleet_id' | 'vehicle_id' | 'blob_key' | 'size_bytes' | 'width' | 'height' | 'analysis_status'>> & {
  id: string;
  device_id: string;
  captured_at: Date;
  received_at: Date;
};

/**
 * Inserts frames in one statement (the uploads that arrive together: grouped-calls.ts); returns which were new. A
 * frame whose device already has one at that time is not inserted (devices retry; the database decides the race).
 */
export async function insertFrames(platform: Platform, rows: NewFrame[]): Promise<boolean[]> {
  // Prepared (db/prepared.ts): one array per column, so the text is the same however many frames go in together.
  const { rows: inserted } = await prepared<{ id: string }>`
    INSERT INTO frames (id, fleet_id, vehicle_id, device_id, blob_key, captured_at, received_at, size_bytes, width, height, analysis_status)
    SELECT * FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.fleet_id)}::text[], ${rows.map((r) => r.vehicle_id)}::text[], ${rows.map((r) => r.device_id)}::text[],
      ${rows.map((r) => r.blob_key)}::text[], ${rows.map((r) => r.captured_at.toISOString())}::timestamptz[], ${rows.map((r) => r.received_at.toISOString())}::timestamptz[],
      ${rows.map((r) => r.size_bytes)}::int[], ${rows.map((r) => r.width)}::int[], ${rows.map((r) => r.height)}::int[], ${rows.map((r) => r.analysis_status)}::text[])
    ON CONFLICT (device_id, captured_at) DO NOTHING
    RETURNING id`.execute(platform.db.urgent);
  const ids = new Set(inserted.map((r) => r.id));
  return rows.map((r) => ids.has(r.id));
}

// Keyed by the conflict key: two uploads of one frame never share a statement, so each learns whether it won.
const groupedInsert = perOwner((platform: Platform) =>
  createGroupedCalls((rows: NewFrame[]) => insertFrames(platform, rows), { key: (r) => `${r.device_id}@${r.captured_at.getTime()}`, maxRunning: 2 }),
);

function insertFrameGrouped(platform: Platform, row: NewFrame): Promise<boolean> {
  return groupedInsert(platform)(row);
}

type FrameRow = { id: string; captured_at: Date; width: number | null; height: number | null; size_bytes: number; analysis_status: string; priority: 'high' | 'routine'; analysis_round: number };

function findFrame(platform: Platform, deviceId: string, capturedAt: Date): Promise<FrameRow | undefined> {
  return platform.db.urgent
    .selectFrom('frames')
    .select(['id', 'captured_at', 'width', 'height', 'size_bytes', 'analysis_status', 'priority', 'analysis_round'])
    .where('device_id', '=', deviceId)
    .where('captured_at', '=', capturedAt)
    .executeTakeFirst();
}

async function duplicateOf(platform: Platform, row: FrameRow): Promise<StoredFrame> {
  // A crash between the insert and the enqueue of the first upload would leave the frame unanalysed; the job's
  // dedupe id makes this a no-op in every other case, so a retry heals it.
  if (row.analysis_status === 'pending') await enqueueAnalysis(platform, row.id, row.priority, row.analysis_round);
  return { frame_id: row.id, captured_at: row.captured_at.toISOString(), width: row.width, height: row.height, size_bytes: row.size_bytes, duplicate: true };
}
