/**
 * Tells live viewers and webhooks that a taxi's driver changed (`driver_changed`): one event for the vehicle, and
 * one more with `driver: null` for the vehicle the driver was taken from, so a map or an integrator's roster never
 * shows one driver in two taxis. Published after the assignment is committed; a repeated request sends nothing.
 */
import type { Platform } from '../platform.ts';
import type { AssignmentResult } from './driver-assignments.ts';
import { dispatchWebhookEvent } from './webhooks/dispatch.ts';

export const DRIVER_CHANGED = 'driver_changed';

export async function announceDriverChange(platform: Platform, fleetId: string, vehicleId: string, result: AssignmentResult): Promise<void> {
  if (!result.changed) return;
  const changedAt = new Date(platform.clock.now()).toISOString();
  const events = [{ vehicle_id: vehicleId, driver: result.driver, changed_at: changedAt }];
  if (result.releasedVehicleId) events.push({ vehicle_id: result.releasedVehicleId, driver: null, changed_at: changedAt });
  for (const event of events) {
    await platform.bus.publish(fleetId, DRIVER_CHANGED, event);
    await dispatchWebhookEvent(platform, fleetId, DRIVER_CHANGED, event);
  }
}
