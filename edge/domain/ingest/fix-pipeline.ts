/**
 * The ordered steps every fix a device sends passes through, whatever protocol brought it (device protocol v1 JSON,
 * OsmAnd / Traccar Client): validate → de-duplicate and store → latest position → telemetry rules and trips →
 * publish. Read top to bottom, this file is the pipeline.
 */
import { AppError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { checkFixes, MAX_BATCH } from './fix-input.ts';
import { storeFixes } from './store-fixes.ts';

export interface IngestResult {
  stored: number;
  duplicates: number;
}

/** Accepts the batch whole or rejects it whole (AppError with per-item details); never stores part of it. */
export async function ingestFixes(platform: Platform, device: DeviceIdentity, items: unknown[]): Promise<IngestResult> {
  // 1. Validate the whole batch before anything is written.
  if (items.length === 0) throw new AppError('validation_failed', 'the batch is empty', { details: [{ index: null, path: 'fixes', message: 'send at least one fix' }] });
  if (items.length > MAX_BATCH) throw new AppError('payload_too_large', `a batch holds at most ${MAX_BATCH} fixes; split it`);
  const { fixes, problems } = checkFixes(items, platform.clock.now());
  if (problems.length > 0) throw new AppError('validation_failed', `${new Set(problems.map((p) => p.index)).size} of ${items.length} fixes are invalid; nothing was stored`, { details: problems });
  const foreign = fixes.findIndex((f) => f.vehicle_id !== undefined && f.vehicle_id !== device.vehicleId);
  if (foreign !== -1) throw new AppError('forbidden', `fix ${foreign} names vehicle ${fixes[foreign].vehicle_id}, but this device belongs to another vehicle`);

  // 2–4. De-duplicate and store, latest position, publish.
  return storeFixes(platform, device, fixes);
}
