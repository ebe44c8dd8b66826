/**
 * Recomputes a vehicle's trips and telemetry incidents from a device time on, from its stored fixes. Enqueued when
 * the telemetry step of an ingest failed (the fixes were stored; their analysis must not be lost), and usable by
 * admins after changing a fleet's thresholds. Idempotent: trips and incidents are upserted by natural key.
 */
import { z } from 'zod';
import { applyTelemetry } from '../edge/domain/telemetry/apply-telemetry.ts';
import { announceTelemetry } from '../edge/domain/telemetry/announce-telemetry.ts';
import type { Job } from './job.ts';

const payload = z.object({ vehicleId: z.string(), from: z.iso.datetime() });

export const recomputeTelemetry: Job = async (platform, raw) => {
  const { vehicleId, from } = payload.parse(raw);
  const vehicle = await platform.db.kysely.selectFrom('vehicles').select(['id', 'fleet_id']).where('id', '=', vehicleId).executeTakeFirst();
  if (!vehicle) return; // deleted since: nothing to repair
  const device = { vehicleId: vehicle.id, fleetId: vehicle.fleet_id };
  const outcome = await applyTelemetry(platform, device, [], { recomputeFrom: Date.parse(from) });
  await announceTelemetry(platform, device, outcome);
};
