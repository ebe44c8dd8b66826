/**
 * What the telemetry engine reads and remembers. Everything is plain JSON (times in epoch ms) because the state is
 * stored per vehicle between batches: processing a drive in one batch or in many gives the same result.
 */
import type { TELEMETRY_INCIDENT_TYPES } from '../incidents/incident-types.ts';
import type { TelemetrySettings } from './settings.ts';

export interface TelemetryFix {
  at: number;
  lat: number;
  lon: number;
  /** As the device reported it (GPS Doppler, far less noisy than positions); null when it sent none. */
  speedKmh: number | null;
  accuracyM: number | null;
}

/** A fix as the engine uses it: with the speed it acts on (reported, else derived from the previous position). */
export interface SeenFix extends TelemetryFix {
  speed: number;
}

export interface OpenTrip {
  startedAt: number;
  lastAt: number;
  lastMovingAt: number;
  /** First fix at rest after the last moving one; the trip ends here if the rest lasts long enough. */
  stoppedSince: number | null;
  distanceM: number;
  maxSpeedKmh: number;
}

export interface Episode {
  since: number;
  lastAt: number;
  lat: number;
  lon: number;
  peakKmh: number;
  reported: boolean;
}

export interface TelemetryState {
  last: SeenFix | null;
  motion: 'moving' | 'stopped' | null;
  trip: OpenTrip | null;
  speeding: Episode | null;
  idle: Episode | null;
  /** When each harsh-event type was last reported, so one manoeuvre is one incident. */
  lastHarsh: Partial<Record<HarshType, number>>;
  /** A harsh deceleration waiting to see whether the taxi stops (rules/collision.ts); absent in older stored states. */
  collision?: { at: number; lat: number; lon: number; fromKmh: number; peakMs2: number } | null;
  /** When the last collision candidate was reported. */
  lastCollision?: number;
}

export type HarshType = 'HARSH_BRAKING' | 'HARSH_ACCELERATION';
export type TelemetryIncidentType = (typeof TELEMETRY_INCIDENT_TYPES)[number];
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface DetectedIncident {
  /** A telemetry type, or an ACCIDENT candidate (a vision type too: a collision is confirmed by looking at frames). */
  type: TelemetryIncidentType | 'ACCIDENT';
  severity: Severity;
  occurredAt: number;
  lat: number;
  lon: number;
  description: string;
  /** The trip it happened in (its start time: trip ids are assigned when trips are stored). */
  tripStartedAt: number | null;
}

export interface TripRecord {
  startedAt: number;
  /** null while the trip goes on. */
  endedAt: number | null;
  distanceM: number;
  durationS: number;
  maxSpeedKmh: number;
  avgSpeedKmh: number;
}

/** What the live map shows; `offline` is decided by the time since the last report, not by fixes. */
export interface StatusChange {
  status: 'moving' | 'stopped' | 'offline';
  at: number;
}

export interface MotionChange {
  status: 'moving' | 'stopped';
  at: number;
}

/** One step of the per-fix pipeline: reads the previous fix and the current one, updates its part of the state. */
export interface FixStepContext {
  prev: SeenFix | null;
  fix: SeenFix;
  state: TelemetryState;
  settings: TelemetrySettings;
  emit(incident: Omit<DetectedIncident, 'tripStartedAt'>): void;
}

export function emptyTelemetryState(): TelemetryState {
  return { last: null, motion: null, trip: null, speeding: null, idle: null, lastHarsh: {}, collision: null };
}
