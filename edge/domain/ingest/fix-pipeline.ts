/**
 * The ordered steps every fix a device sends passes through, whatever protocol brought it (device protocol v1 JSON,
 * OsmAnd / Traccar Client). Read top to bottom, this file is the pipeline:
 *   validate → screen (drop GPS jumps, derive missing speeds and headings; judged against the fix this process
 *   stored last when the batch continues it, else against the one read back: last-stored-fix.ts) → de-duplicate and
 *   store (both with the other batches that arrive meanwhile, in one statement: grouped-ingest.ts) →
 *   [a batch that starts after a gap waits briefly for the one before it: reorder-window.ts] → latest position →
 *   publish the position → telemetry rules and trips (with other vehicles' batches that arrive meanwhile, in one
 *   transaction: telemetry-groups.ts) → last seen → publish what the rules found.
 * The position is published before the rules run: it depends on nothing they compute, and viewers of the live map
 * should not wait for a trip transaction to see the taxi move.
 * Storing is the commitment: once the fixes are stored the device gets its 2xx, and a later step that fails is
 * logged and repaired (telemetry by a queued recomputation), never reported to the device as a failure — a retry
 * would only be counted as duplicates. Stored with the fixes, the batch's pending-telemetry mark survives a crash
 * of everything after the answer: the vehicle's next batch or the sweep (jobs/apply-pending-telemetry.ts) applies it. So the device need not wait for them either: given `background`, the steps
 * after storing run once the answer is on its way (INGEST_IN_BACKGROUND), unless too many already are, which makes
 * requests wait again instead of piling up work in memory.
 */
import { AppError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { touchLastSeen } from '../devices/last-seen.ts';
import { announceTelemetry } from '../telemetry/announce-telemetry.ts';
import type { TelemetryOutcome } from '../telemetry/apply-telemetry.ts';
import { applyTelemetryGrouped } from '../telemetry/telemetry-groups.ts';
import type { TelemetryFix } from '../telemetry/telemetry-types.ts';
import { afterAnswer, type Background } from '../after-answer.ts';
import { recordFixes, recordRejectedFixes, recordReorderWait } from '../../observability/app-metrics.ts';
import { checkFixes, MAX_BATCH, type FixInput } from './fix-input.ts';
import { groupedIngest } from './grouped-ingest.ts';
import { screenFixes } from './screen-fixes.ts';
import { createReorderWindow, startsAfterGap } from './reorder-window.ts';
import { updateLatestPosition, type StoredFixes } from './store-fixes.ts';

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Present when some fixes were GPS jumps: dropped, not stored, and not to be sent again. */
  implausible?: number;
}

export interface IngestOptions {
  /** Keeps the after-store work alive once the answer is sent (Workers: waitUntil); absent: the request waits. */
  background?: Background;
}

// One vehicle's batches go through the steps after storing one after the other, in the order they were stored, in
// this process. In parallel they would queue on the vehicle's row lock, each holding a pooled connection others
// need, and a batch overtaken by a newer one would look late and make the vehicle's trip be recomputed.
const vehicleTails = new Map<string, Promise<void>>();
const reorderWindow = createReorderWindow();

function afterPrevious(vehicleId: string, work: () => Promise<void>): Promise<void> {
  // A failed batch must not stop the ones behind it.
  const next = (vehicleTails.get(vehicleId) ?? Promise.resolve()).catch(() => {}).then(work);
  vehicleTails.set(vehicleId, next);
  void next.finally(() => {
    if (vehicleTails.get(vehicleId) === next) vehicleTails.delete(vehicleId);
  });
  return next;
}

/** Accepts the batch whole or rejects it whole (AppError with per-item details); never stores part of it. */
export async function ingestFixes(platform: Platform, device: DeviceIdentity, items: unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  let fixes: FixInput[];
  try {
    fixes = validate(platform, device, items);
  } catch (error) {
    recordRejectedFixes(platform, items.length);
    throw error;
  }
  const { screened, saved } = await screenAndStore(platform, device, fixes);
  fixes = screened.fixes;
  const { stored, duplicates, inserted, pending } = saved;
  recordFixes(platform, stored, duplicates);
  const result: IngestResult = { stored, duplicates, ...(screened.implausible > 0 ? { implausible: screened.implausible } : {}) };
  if (inserted.length === 0 || pending === null) return result;
  const afterStore = async () => {
    const latest = await bestEffort(platform, 'latest position', () => updateLatestPosition(platform, device, inserted, fixes));
    if (latest) await bestEffort(platform, 'publish position', () => platform.bus.publish(device.fleetId, 'location_update', latest));
    const telemetry = await telemetryStep(platform, device, inserted, pending);
    await bestEffort(platform, 'last_seen', () => touchLastSeen(platform, device.deviceId));
    if (telemetry) await bestEffort(platform, 'publish findings', () => announceTelemetry(platform, device, telemetry));
  };
  const from = Math.min(...inserted.map((f) => f.at));
  const afterGap = startsAfterGap(screened.previous?.at ?? null, inserted.map((f) => f.at));
  await afterAnswer(
    options.background,
    async (detached) => {
      // Probably overtook the batch before it (reorder-window.ts): let that one go first, if it comes soon.
      if (afterGap && detached) recordReorderWait(platform, (await reorderWindow.waitForEarlier(device.vehicleId, from)) ? 'filled' : 'timed_out');
      const done = afterPrevious(device.vehicleId, afterStore);
      reorderWindow.joined(device.vehicleId, from);
      await done;
    },
    (error) => platform.log.error('ingest steps after storing failed', { vehicleId: device.vehicleId, error: String(error) }),
  );
  return result;
}

/** 1. The whole batch is checked before anything is written. */
function validate(platform: Platform, device: DeviceIdentity, items: unknown[]): FixInput[] {
  if (items.length === 0) throw new AppError('validation_failed', 'the batch is empty', { details: [{ index: null, path: 'fixes', message: 'send at least one fix' }] });
  if (items.length > MAX_BATCH) throw new AppError('payload_too_large', `a batch holds at most ${MAX_BATCH} fixes; split it`);
  const { fixes, problems } = checkFixes(items, platform.clock.now());
  if (problems.length > 0) throw new AppError('validation_failed', `${new Set(problems.map((p) => p.index)).size} of ${items.length} fixes are invalid; nothing was stored`, { details: problems });
  const foreign = fixes.findIndex((f) => f.vehicle_id !== undefined && f.vehicle_id !== device.vehicleId);
  if (foreign !== -1) throw new AppError('forbidden', `fix ${foreign} names vehicle ${fixes[foreign].vehicle_id}, but this device belongs to another vehicle`);
  return fixes;
}

/**
 * 2. Judged against the taxi's stored fix just before the batch (jumps dropped, missing speeds derived), then 3. stored.
 * A batch that continues the fix this process stored last for the vehicle is judged against that one without reading
 * it (last-stored-fix.ts); should the store find another fix in between, it stores nothing and the batch goes the
 * read's way.
 */
async function screenAndStore(platform: Platform, device: DeviceIdentity, fixes: FixInput[]) {
  const ingest = groupedIngest(platform);
  const earliest = Math.min(...fixes.map((f) => Date.parse(f.timestamp)));
  const assumed = ingest.lastStored.assume(device.vehicleId, earliest);
  if (assumed) {
    const screened = { ...screenFixes(assumed.previous, fixes), previous: assumed.previous };
    // All dropped as jumps from the assumed fix: that verdict would go unchecked, so it is taken from the read.
    if (screened.fixes.length > 0) {
      const saved = await store(ingest, device, screened.fixes, assumed.gap);
      if (!saved.previousMoved) return { screened, saved };
    }
  }
  const previous = await ingest.previous({ vehicleId: device.vehicleId, before: earliest });
  const screened = { ...screenFixes(previous, fixes), previous };
  return { screened, saved: await store(ingest, device, screened.fixes) };
}

/** Stores a screened batch and remembers its newest fix for the vehicle's next batch. */
async function store(ingest: ReturnType<typeof groupedIngest>, device: DeviceIdentity, fixes: FixInput[], gap?: { after: number; before: number }): Promise<StoredFixes> {
  if (fixes.length === 0) return { stored: 0, duplicates: 0, inserted: [], pending: null };
  const saved = await ingest.store({ device, fixes, ...(gap ? { gap } : {}) });
  if (saved.inserted.length > 0) ingest.lastStored.remember(device.vehicleId, saved.inserted.reduce((a, b) => (b.at > a.at ? b : a)));
  return saved;
}

/** 4. Rules and trips; a failure queues a recomputation from these fixes instead of failing the request. */
async function telemetryStep(platform: Platform, device: DeviceIdentity, inserted: TelemetryFix[], batch: string): Promise<TelemetryOutcome | null> {
  try {
    const outcome = await applyTelemetryGrouped(platform, { device, fixes: inserted, options: { pending: { batch } } });
    for (const { rule, at, error } of outcome.ruleErrors) platform.log.error('telemetry rule failed', { rule, vehicleId: device.vehicleId, at: new Date(at).toISOString(), error: String(error) });
    return outcome;
  } catch (error) {
    const from = new Date(Math.min(...inserted.map((f) => f.at))).toISOString();
    platform.log.error('telemetry step failed; recomputation queued', { vehicleId: device.vehicleId, from, error: String(error) });
    await bestEffort(platform, 'queue recomputation', () => platform.queue.enqueue('recompute-telemetry', { vehicleId: device.vehicleId, from }, { dedupeId: `recompute-telemetry:${device.vehicleId}:${from}` }));
    return null;
  }
}

/** A step whose failure is logged and does not stop the ones after it; null when it failed. */
async function bestEffort<T>(platform: Platform, step: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    platform.log.error(`ingest step "${step}" failed after the fixes were stored`, { error: String(error) });
    return null;
  }
}
