/**
 * The telemetry engine: feeds fixes, in device-time order, through one ordered list of steps — trip segmentation
 * first (so an event knows its trip), then each rule, then the vehicle's motion — and collects what they find.
 * Pure and deterministic: the same fixes from the same state give the same trips and incidents, whether they came
 * in one batch or a thousand, live or hours late. A rule that throws is reported and skipped for that fix;
 * it never stops the others or the ingest.
 */
import { collision } from './rules/collision.ts';
import { harshDriving } from './rules/harsh-driving.ts';
import { idling } from './rules/idling.ts';
import { speeding } from './rules/speeding.ts';
import type { TelemetrySettings } from './settings.ts';
import { impliedKmh, MAX_PLAUSIBLE_KMH } from './implied-motion.ts';
import type { DetectedIncident, FixStepContext, MotionChange, SeenFix, TelemetryFix, TelemetryState, TripRecord } from './telemetry-types.ts';
import { segmentTrips, tripRecord } from './trip-segmentation.ts';
import { vehicleMotion } from './vehicle-motion.ts';

export const TELEMETRY_RULES = { harshDriving, collision, speeding, idling } as const;

export interface TelemetryResult {
  state: TelemetryState;
  incidents: DetectedIncident[];
  /** Trips that ended, then the open one (endedAt null) if any: each to be stored, replacing any older version. */
  trips: TripRecord[];
  /** Start times of trips that turned out to be GPS drift, to delete if they were stored while open. */
  discardedTrips: number[];
  motion: MotionChange[];
  ruleErrors: { rule: string; at: number; error: unknown }[];
}

export function runTelemetry(start: TelemetryState, fixes: TelemetryFix[], settings: TelemetrySettings): TelemetryResult {
  const state: TelemetryState = structuredClone(start);
  const result: TelemetryResult = { state, incidents: [], trips: [], discardedTrips: [], motion: [], ruleErrors: [] };
  const ordered = [...fixes].sort((a, b) => a.at - b.at);
  for (const raw of ordered) {
    const prev = state.last;
    if (prev && raw.at <= prev.at) continue; // already processed
    const fix = seen(prev, raw);
    if (!fix) continue; // a jump: kept in the history, ignored by the rules
    const ctx: FixStepContext = {
      prev,
      fix,
      state,
      settings,
      emit: (incident) => result.incidents.push({ ...incident, tripStartedAt: state.trip?.startedAt ?? null }),
    };
    segmentTrips(ctx, { ended: (trip) => result.trips.push(trip), discarded: (startedAt) => result.discardedTrips.push(startedAt) });
    for (const [name, rule] of Object.entries(TELEMETRY_RULES)) {
      try {
        rule(ctx);
      } catch (error) {
        result.ruleErrors.push({ rule: name, at: fix.at, error });
      }
    }
    vehicleMotion(ctx, (change) => result.motion.push(change));
    state.last = fix;
  }
  if (state.trip) result.trips.push(tripRecord(state.trip, null));
  // An incident whose trip was discarded as drift belongs to no trip.
  const discarded = new Set(result.discardedTrips);
  for (const incident of result.incidents) if (incident.tripStartedAt !== null && discarded.has(incident.tripStartedAt)) incident.tripStartedAt = null;
  return result;
}

// Fixes stored before the pipeline screened them may still hold jumps and lack speeds: the same rule applies here.
function seen(prev: SeenFix | null, fix: TelemetryFix): SeenFix | null {
  const derived = impliedKmh(prev, fix);
  if (derived !== null && derived > MAX_PLAUSIBLE_KMH) return null;
  return { ...fix, speed: fix.speedKmh ?? derived ?? 0 };
}
