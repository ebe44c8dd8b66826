/**
 * Which way a device's camera looks: `cabin` faces the driver, `road` faces the road through the windscreen, `dual`
 * sees both (a two-lens unit, or one wide lens). Driver rules (phone, drowsiness, distraction, no driver, camera
 * blocked) judge cabin and dual frames only: a road camera sees no driver, and judging its frames as if it did is
 * how a fleet ends up with "no driver visible" on every frame. Road frames are kept as accident evidence.
 */
import { z } from 'zod';
import type { CameraRole } from '../../db/schema.ts';
import type { DomainDeps } from '../deps.ts';
import { resetCalibration } from '../vision/calibration-store.ts';

export type { CameraRole };
export const CAMERA_ROLES = ['cabin', 'road', 'dual'] as const satisfies readonly CameraRole[];
export const cameraRoleSchema = z.enum(CAMERA_ROLES);

/** Whether the driver rules look at this camera's frames. */
export const seesDriver = (role: CameraRole) => role !== 'road';

/** Whether this camera's frames show the road ahead (accident evidence). */
export const seesRoad = (role: CameraRole) => role !== 'cabin';

/**
 * Changes a device's camera role. The camera's calibration belongs to the picture it saw, so a new role starts a new
 * one. Returns false when the device does not exist.
 */
export async function setCameraRole(deps: Pick<DomainDeps, 'db'>, deviceId: string, role: CameraRole): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('devices').select('camera_role').where('id', '=', deviceId).forUpdate().executeTakeFirst();
    if (!current) return false;
    if (current.camera_role === role) return true;
    await tx.updateTable('devices').set({ camera_role: role }).where('id', '=', deviceId).execute();
    await resetCalibration(tx, deviceId);
    return true;
  });
}
