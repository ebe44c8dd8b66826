/**
 * A vehicle's camera flagged as misaligned by a reviewer: who flagged it, when and why. Frames from a flagged camera
 * are still stored and analysed; what the vision pipeline does with its verdicts is decided there, through
 * `cameraIsMisaligned`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DomainDeps } from '../deps.ts';

export interface CameraState {
  misaligned: boolean;
  /** When the current state began; null while the camera has never been flagged. */
  since: string | null;
  note: string | null;
  changed_by: string | null;
}

export const CAMERA_COLUMNS = ['camera_misaligned', 'camera_changed_at', 'camera_changed_by', 'camera_note'] as const;

export function cameraState(row: { camera_misaligned: boolean; camera_changed_at: Date | null; camera_changed_by: string | null; camera_note: string | null }): CameraState {
  return { misaligned: row.camera_misaligned, since: row.camera_changed_at?.toISOString() ?? null, note: row.camera_note, changed_by: row.camera_changed_by };
}

/** Whether the vehicle's camera is flagged as misaligned right now (false for an unknown vehicle). */
export async function cameraIsMisaligned(db: Kysely<Database>, vehicleId: string): Promise<boolean> {
  const row = await db.selectFrom('vehicles').select('camera_misaligned').where('id', '=', vehicleId).executeTakeFirst();
  return row?.camera_misaligned ?? false;
}

/**
 * Flags or clears the camera. Saying the same thing twice keeps the original `since` (the camera has been misaligned
 * since it was first flagged) and only replaces the note, so a retried request changes nothing twice.
 */
export async function setCameraAlignment(
  deps: Pick<DomainDeps, 'db' | 'clock'>,
  input: { vehicleId: string; misaligned: boolean; note: string | null; changedBy: string | null },
): Promise<CameraState> {
  const current = await deps.db.selectFrom('vehicles').select(CAMERA_COLUMNS).where('id', '=', input.vehicleId).executeTakeFirstOrThrow();
  const changes =
    current.camera_misaligned === input.misaligned && current.camera_changed_at
      ? { camera_note: input.note }
      : { camera_misaligned: input.misaligned, camera_note: input.note, camera_changed_at: new Date(deps.clock.now()), camera_changed_by: input.changedBy };
  const row = await deps.db.updateTable('vehicles').set(changes).where('id', '=', input.vehicleId).returning(CAMERA_COLUMNS).executeTakeFirstOrThrow();
  return cameraState(row);
}
