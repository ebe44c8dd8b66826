/**
 * Every minute, and once at start: fix batches stored (and acknowledged) whose telemetry was never applied — the
 * process died after the answer, a Worker was cut off, a step failed — get their trips and incidents now, by a
 * recomputation from their earliest fix (edge/domain/telemetry/pending-telemetry.ts). Only marks older than a grace
 * period are taken, so batches whose after-answer work is simply still running are left to it; at start the grace is
 * 0, as nothing of this process is running yet (another instance's batch taken meanwhile is then a no-op for it).
 */
import { z } from 'zod';
import { announceTelemetry } from '../edge/domain/telemetry/announce-telemetry.ts';
import { applyTelemetry } from '../edge/domain/telemetry/apply-telemetry.ts';
import type { Job } from './job.ts';

const payloadSchema = z
  .object({ olderThanSeconds: z.number().int().min(0).default(60), limit: z.number().int().min(1).max(10_000).default(500) })
  .default({ olderThanSeconds: 60, limit: 500 });

export const applyPendingTelemetry: Job = async (platform, payload) => {
  const { olderThanSeconds, limit } = payloadSchema.parse(payload ?? undefined);
  const storedBefore = new Date(platform.clock.now() - olderThanSeconds * 1000);
  const vehicles = await platform.db.kysely
    .selectFrom('pending_telemetry')
    .select(['vehicle_id', 'fleet_id'])
    .where('stored_at', '<', storedBefore)
    .groupBy(['vehicle_id', 'fleet_id'])
    .orderBy((eb) => eb.fn.min('seq'))
    .limit(limit)
    .execute();
  let applied = 0;
  for (const { vehicle_id, fleet_id } of vehicles) {
    const device = { vehicleId: vehicle_id, fleetId: fleet_id };
    const outcome = await applyTelemetry(platform, device, [], { pending: { storedBefore } });
    // Announced like a recomputation: what the lost batches found goes out now, once (the marks are gone).
    await announceTelemetry(platform, device, outcome);
    if (outcome.recomputedFrom !== null) applied++;
  }
  if (applied > 0) platform.log.warn('applied telemetry of fix batches whose after-answer work was lost', { vehicles: applied });
};
