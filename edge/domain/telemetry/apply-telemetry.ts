/**
 * Runs the telemetry engine for one vehicle's newly stored fixes and records what it finds, in one transaction
 * with the vehicle's state row locked:
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
import { deleteTrips, fixesBefore, fixesFrom, lockVehicleTelemetry, recomputeStart, refreshIncidentCounts, relinkVisionIncidents, saveIncidents, saveTrips, saveVehicleTelemetry, withdrawIncidents, type NewIncident, type Tx, type VehicleRef } from './telemetry-store.ts';
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

/** `fixes`: the fixes just stored (none for a recomputation or a sweep). */
export async function applyTelemetry(platform: Platform, device: VehicleRef, fixes: TelemetryFix[], options: ApplyOptions = {}): Promise<TelemetryOutcome> {
  const now = new Date(platform.clock.now());
  const newId = () => platform.ids.next();
  return platform.db.kysely.transaction().execute(async (tx) => {
    const locked = await lockVehicleTelemetry(tx, device, now);
    const pending = options.pending ? await takePending(tx, device.vehicleId, options.pending) : null;
    // Already applied (by a sweep, or by a later batch that found this one lost), and nothing older left either.
    if (pending && pending.from === null) return nothingApplied(locked.plate);
    // Batches taken besides this one (or by a sweep) were lost after their answer: recompute from the earliest.
    const lost = pending && !(pending.ownFound && pending.seqs.length === 1) ? pending.from! : undefined;
    const recomputeFrom = Math.min(options.recomputeFrom ?? Infinity, lost ?? Infinity);
    const earliest = Math.min(...fixes.map((f) => f.at), recomputeFrom);
    const live = recomputeFrom === Infinity && (locked.processedUntil === null || earliest > locked.processedUntil);

    let result: TelemetryResult;
    let recomputedFrom: number | null = null;
    if (live) {
      result = runTelemetry(locked.state, fixes, locked.settings);
    } else {
      recomputedFrom = await recomputeStart(tx, device.vehicleId, earliest, locked.settings);
      result = await recompute(tx, device.vehicleId, recomputedFrom, locked.settings);
    }

    if (recomputedFrom !== null) await deleteTrips(tx, device.vehicleId, { from: recomputedFrom, keep: result.trips.map((t) => t.startedAt) });
    else await deleteTrips(tx, device.vehicleId, { startedAt: result.discardedTrips });
    const tripIds = await saveTrips(tx, device, result.trips, newId);
    // Withdraw first: a detection must not merge into an incident that only stale detections still hold open.
    const withdrawnIncidentIds = recomputedFrom !== null ? await withdrawIncidents(tx, device.vehicleId, recomputedFrom, result.incidents) : [];
    const newIncidents = await saveIncidents(tx, device, result.incidents, tripIds, newId, now, platform.config.INCIDENT_MERGE_WINDOW_MINUTES * 60_000);
    // Camera incidents analysed before these trips existed (or before a recomputation replaced them) join them.
    const relinkFrom = recomputedFrom ?? (result.trips.length > 0 ? Math.min(...result.trips.map((t) => t.startedAt)) : null);
    const relinked = relinkFrom === null ? [] : await relinkVisionIncidents(tx, device.vehicleId, relinkFrom);
    // Counts change only when incidents are added, withdrawn or re-linked.
    const countsChanged = recomputedFrom !== null ? [...tripIds.values()] : [...newIncidents.flatMap((n) => (n.tripId ? [n.tripId] : [])), ...relinked];
    await refreshIncidentCounts(tx, [...new Set(countsChanged)]);

    const finalMotion = result.state.motion;
    const statusChange = finalMotion && finalMotion !== locked.status ? (result.motion.at(-1) ?? { status: finalMotion, at: result.state.last!.at }) : null;
    await saveVehicleTelemetry(tx, device.vehicleId, result.state, now, statusChange?.status ?? null);
    return { newIncidents, withdrawnIncidentIds, statusChange, recomputedFrom, ruleErrors: result.ruleErrors, plate: locked.plate };
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
