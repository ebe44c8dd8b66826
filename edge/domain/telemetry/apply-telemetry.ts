/**
 * Runs the telemetry engine for vehicles' newly stored fixes and records what it finds, in one transaction with
 * the vehicles' state rows locked (one vehicle, or a group of them: fix-pipeline.ts groups concurrent batches):
 * - live fixes (all newer than what was processed) continue from the stored state;
 * - late fixes (a device's offline backlog, a retry arriving after newer fixes) recompute everything from the
 *   start of the trip they fall in, from the stored fixes in device-time order — so a backlog yields the same
 *   trips and incidents as the same fixes sent live, and never a false harsh event across the gap;
 * - batches whose telemetry was never applied (pending-telemetry.ts: a crash after the answer) are taken along and
 *   recomputed from their earliest fix, and a batch someone else already applied is not applied again.
 * Returns what to announce once the transaction has committed.
 */
import type { Platform } from '../../platform.ts';
import { runTelemetry, type TelemetryResult } from './run-telemetry.ts';
import { deleteTrips, fixesBefore, fixesFrom, recomputeStart, refreshIncidentCounts, relinkVisionIncidents, saveIncidents, withdrawIncidents, type LockedTelemetry, type NewIncident, type Tx, type VehicleRef } from './telemetry-store.ts';
import { lockAndTakePending, saveGroupOutcome } from './telemetry-group-store.ts';
import type { TelemetrySettings } from './settings.ts';
import { takePending, type PendingScope } from './pending-telemetry.ts';
import { emptyTelemetryState, type StatusChange, type TelemetryFix } from './telemetry-types.ts';

export interface TelemetryOutcome {
  newIncidents: NewIncident[];
  withdrawnIncidentIds: string[];
  /** The vehicle's motion after these fixes, when it changed. */
  statusChange: StatusChange | null;
  recomputedFrom: number | null;
  ruleErrors: TelemetryResult['ruleErrors'];
  plate: string;
}

export interface ApplyOptions {
  /** Force a recomputation from that device time (repair job, changed thresholds). */
  recomputeFrom?: number;
  /** The pending marks this application clears: its batch's (and older lost ones), or the sweep's. */
  pending?: PendingScope;
}

/** One vehicle's newly stored fixes to apply (none for a recomputation or a sweep). */
export interface TelemetryBatch {
  device: VehicleRef;
  fixes: TelemetryFix[];
  options?: ApplyOptions;
}

/** `fixes`: the fixes just stored (none for a recomputation or a sweep). */
export async function applyTelemetry(platform: Platform, device: VehicleRef, fixes: TelemetryFix[], options: ApplyOptions = {}): Promise<TelemetryOutcome> {
  return (await applyTelemetryGroup(platform, [{ device, fixes, options }]))[0];
}

/**
 * Applies several vehicles' batches in one transaction, each exactly as applyTelemetry would alone: the common case
 * (live fixes continuing the stored state) shares every statement with the rest of the group; a recomputation, an
 * incident or a re-link runs its own statements for its vehicle. One batch per vehicle: the caller splits repeats.
 */
export async function applyTelemetryGroup(platform: Platform, batches: TelemetryBatch[]): Promise<TelemetryOutcome[]> {
  if (new Set(batches.map((b) => b.device.vehicleId)).size !== batches.length) throw new Error('a telemetry group holds one batch per vehicle');
  const now = new Date(platform.clock.now());
  const newId = () => platform.ids.next();
  return platform.db.kysely.transaction().execute(async (tx) => {
    const ownBatches = batches.flatMap((b) => (b.options?.pending && 'batch' in b.options.pending ? [{ vehicleId: b.device.vehicleId, batch: b.options.pending.batch }] : []));
    const { locked: lockedAll, taken: takenOwn } = await lockAndTakePending(tx, batches.map((b) => b.device), ownBatches, now);

    // What the engine found for each batch; null for a batch already applied elsewhere.
    const computed: ({ batch: TelemetryBatch; locked: LockedTelemetry; result: TelemetryResult; recomputedFrom: number | null } | null)[] = [];
    for (const batch of batches) {
      const { device, fixes, options = {} } = batch;
      const locked = lockedAll.get(device.vehicleId)!;
      const pending = options.pending ? (takenOwn.get(device.vehicleId) ?? (await takePending(tx, device.vehicleId, options.pending))) : null;
      // Already applied (by a sweep, or by a later batch that found this one lost), and nothing older left either.
      if (pending && pending.from === null) {
        computed.push(null);
        continue;
      }
      // Batches taken besides this one (or by a sweep) were lost after their answer: recompute from the earliest.
      const lost = pending && !(pending.ownFound && pending.seqs.length === 1) ? pending.from! : undefined;
      const recomputeFrom = Math.min(options.recomputeFrom ?? Infinity, lost ?? Infinity);
      const earliest = Math.min(...fixes.map((f) => f.at), recomputeFrom);
      const live = recomputeFrom === Infinity && (locked.processedUntil === null || earliest > locked.processedUntil);
      if (live) {
        computed.push({ batch, locked, result: runTelemetry(locked.state, fixes, locked.settings), recomputedFrom: null });
      } else {
        const recomputedFrom = await recomputeStart(tx, device.vehicleId, earliest, locked.settings);
        computed.push({ batch, locked, result: await recompute(tx, device.vehicleId, recomputedFrom, locked.settings), recomputedFrom });
      }
    }
    const applied = computed.filter((c) => c !== null);

    for (const { batch, result, recomputedFrom } of applied) {
      if (recomputedFrom !== null) await deleteTrips(tx, batch.device.vehicleId, { from: recomputedFrom, keep: result.trips.map((t) => t.startedAt) });
      else await deleteTrips(tx, batch.device.vehicleId, { startedAt: result.discardedTrips });
    }
    // Camera incidents analysed before these trips existed (or before a recomputation replaced them) join them.
    const relinkFroms = new Map<string, number>();
    for (const { batch, result, recomputedFrom } of applied) {
      const from = recomputedFrom ?? (result.trips.length > 0 ? Math.min(...result.trips.map((t) => t.startedAt)) : null);
      if (from !== null) relinkFroms.set(batch.device.vehicleId, from);
    }
    // The engine's new state and motion depend on nothing written below, so they are saved with the trips.
    const statusChanges = new Map<string, StatusChange | null>();
    for (const { batch, locked, result } of applied) {
      const finalMotion = result.state.motion;
      statusChanges.set(batch.device.vehicleId, finalMotion && finalMotion !== locked.status ? (result.motion.at(-1) ?? { status: finalMotion, at: result.state.last!.at }) : null);
    }
    const states = applied.map(({ batch, result }) => ({ vehicleId: batch.device.vehicleId, state: result.state, status: statusChanges.get(batch.device.vehicleId)?.status ?? null }));
    const trips = applied.map((c) => ({ vehicle: c.batch.device, trips: c.result.trips }));
    // Nothing to announce (no incident, no change of motion) and nothing recomputed: the commit need not wait for the
    // disk, since a crash only brings the pending marks back and the same fixes give the same outcome again.
    const relaxed = applied.every(({ batch, result, recomputedFrom }) => recomputedFrom === null && result.incidents.length === 0 && !statusChanges.get(batch.device.vehicleId));
    const { tripIds: tripIdsAll, withOrphans } = await saveGroupOutcome(tx, { trips, states, orphansFrom: relinkFroms, relaxedCommit: relaxed }, newId, now);

    const outcomes = new Map<TelemetryBatch, TelemetryOutcome>();
    const countsChanged = new Set<string>();
    for (const { batch, locked, result, recomputedFrom } of applied) {
      const { device } = batch;
      const tripIds = tripIdsAll.get(device.vehicleId)!;
      // Withdraw first: a detection must not merge into an incident that only stale detections still hold open.
      const withdrawnIncidentIds = recomputedFrom !== null ? await withdrawIncidents(tx, device.vehicleId, recomputedFrom, result.incidents) : [];
      const newIncidents = result.incidents.length > 0 ? await saveIncidents(tx, device, result.incidents, tripIds, newId, now, platform.config.INCIDENT_MERGE_WINDOW_MINUTES * 60_000) : [];
      const relinked = withOrphans.has(device.vehicleId) ? await relinkVisionIncidents(tx, device.vehicleId, relinkFroms.get(device.vehicleId)!) : [];
      // Counts change only when incidents are added, withdrawn or re-linked.
      const changed = recomputedFrom !== null ? [...tripIds.values()] : [...newIncidents.flatMap((n) => (n.tripId ? [n.tripId] : [])), ...relinked];
      for (const id of changed) countsChanged.add(id);

      outcomes.set(batch, { newIncidents, withdrawnIncidentIds, statusChange: statusChanges.get(device.vehicleId)!, recomputedFrom, ruleErrors: result.ruleErrors, plate: locked.plate });
    }
    await refreshIncidentCounts(tx, [...countsChanged]);
    return batches.map((b) => outcomes.get(b) ?? nothingApplied(lockedAll.get(b.device.vehicleId)!.plate));
  });
}

function nothingApplied(plate: string): TelemetryOutcome {
  return { newIncidents: [], withdrawnIncidentIds: [], statusChange: null, recomputedFrom: null, ruleErrors: [], plate };
}

/** Replays the stored fixes from `from` (a point where no trip is open) through the engine. */
async function recompute(tx: Tx, vehicleId: string, from: number, settings: TelemetrySettings): Promise<TelemetryResult> {
  // The two fixes before the start give the first fix its predecessor, as when it was processed live.
  const context = await fixesBefore(tx, vehicleId, from, 2);
  let state = runTelemetry(emptyTelemetryState(), context, settings).state;
  state = { ...emptyTelemetryState(), last: state.last, motion: state.motion };
  const total: TelemetryResult = { state, incidents: [], trips: [], discardedTrips: [], motion: [], ruleErrors: [] };
  for await (const page of fixesFrom(tx, vehicleId, from)) {
    const part = runTelemetry(total.state, page, settings);
    total.state = part.state;
    total.incidents.push(...part.incidents);
    // A page ends with the open trip's snapshot; the next page's records supersede it.
    total.trips = [...total.trips.filter((t) => !part.trips.some((p) => p.startedAt === t.startedAt) && !part.discardedTrips.includes(t.startedAt)), ...part.trips];
    total.discardedTrips.push(...part.discardedTrips);
    total.motion.push(...part.motion);
    total.ruleErrors.push(...part.ruleErrors);
  }
  return total;
}
