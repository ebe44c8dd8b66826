/**
 * The telemetry of fix batches that arrive together, applied in groups (applyTelemetryGroup, one transaction each;
 * scheduling in grouped-calls.ts). Thousands of taxis then cost a few transactions a second instead of one per batch.
 */
import type { Platform } from '../../platform.ts';
import { createGroupedCalls, perOwner } from '../grouped-calls.ts';
import { applyTelemetryGroup, type TelemetryBatch, type TelemetryOutcome } from './apply-telemetry.ts';

const grouped = perOwner((platform: Platform) =>
  createGroupedCalls((batches: TelemetryBatch[]) => applyTelemetryGroup(platform, batches), { key: (b) => b.device.vehicleId }),
);

/** The platform's grouped application (one per app instance: its database and clock). */
export function applyTelemetryGrouped(platform: Platform, batch: TelemetryBatch): Promise<TelemetryOutcome> {
  return grouped(platform)(batch);
}
