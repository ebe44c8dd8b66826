/**
 * Telemetry thresholds, per fleet. Defaults suit city taxis; a fleet overrides any of them (fleets.telemetry, a
 * partial object) and its speed limit comes from fleets.speed_limit_kmh.
 */
import { z } from 'zod';

export const telemetryOverrides = z
  .object({
    // ~0.36 g and ~0.31 g: common telematics thresholds; city stop-and-go stays well below them.
    harsh_braking_ms2: z.number().min(1).max(12),
    harsh_acceleration_ms2: z.number().min(1).max(12),
    speeding_tolerance_kmh: z.number().min(0).max(50),
    speeding_min_seconds: z.number().int().min(0).max(3600),
    idle_minutes: z.number().min(1).max(240),
    trip_end_stop_minutes: z.number().min(1).max(240),
    moving_speed_kmh: z.number().min(1).max(30),
    offline_minutes: z.number().min(1).max(1440),
  })
  .partial()
  .strict();

export type TelemetryOverrides = z.infer<typeof telemetryOverrides>;

export interface TelemetrySettings {
  speedLimitKmh: number;
  /** The fleet's language (fleets.locale): incident descriptions are written in it. */
  language: 'es' | 'en';
  harshBrakingMs2: number;
  harshAccelerationMs2: number;
  speedingToleranceKmh: number;
  speedingMinSeconds: number;
  idleMinutes: number;
  tripEndStopMinutes: number;
  movingSpeedKmh: number;
  offlineMinutes: number;
  /** Longest interval between two fixes that still says something about acceleration. */
  harshMaxGapSeconds: number;
  /** A gap longer than this breaks a speeding or idling episode: we cannot claim what happened inside it. */
  episodeMaxGapSeconds: number;
  /** Trips shorter than this were GPS drift around a parked taxi, not a drive. */
  minTripDistanceM: number;
}

export const DEFAULT_TELEMETRY: Omit<TelemetrySettings, 'speedLimitKmh' | 'language'> = {
  harshBrakingMs2: 3.5,
  harshAccelerationMs2: 3.0,
  speedingToleranceKmh: 5,
  speedingMinSeconds: 30,
  idleMinutes: 5,
  tripEndStopMinutes: 10,
  movingSpeedKmh: 6,
  offlineMinutes: 10,
  harshMaxGapSeconds: 5,
  episodeMaxGapSeconds: 60,
  minTripDistanceM: 200,
};

/** Stored overrides are validated on write; an unreadable value here falls back to the defaults rather than fail ingest. */
export function telemetrySettings(fleet: { speed_limit_kmh: number; telemetry?: unknown; locale?: string }): TelemetrySettings {
  const parsed = telemetryOverrides.safeParse(fleet.telemetry ?? {});
  const o = parsed.success ? parsed.data : {};
  const d = DEFAULT_TELEMETRY;
  return {
    ...d,
    speedLimitKmh: fleet.speed_limit_kmh,
    // Callers that write no text (the offline sweep) need not load the locale; English is the neutral default.
    language: fleet.locale === 'es' ? 'es' : 'en',
    harshBrakingMs2: o.harsh_braking_ms2 ?? d.harshBrakingMs2,
    harshAccelerationMs2: o.harsh_acceleration_ms2 ?? d.harshAccelerationMs2,
    speedingToleranceKmh: o.speeding_tolerance_kmh ?? d.speedingToleranceKmh,
    speedingMinSeconds: o.speeding_min_seconds ?? d.speedingMinSeconds,
    idleMinutes: o.idle_minutes ?? d.idleMinutes,
    tripEndStopMinutes: o.trip_end_stop_minutes ?? d.tripEndStopMinutes,
    movingSpeedKmh: o.moving_speed_kmh ?? d.movingSpeedKmh,
    offlineMinutes: o.offline_minutes ?? d.offlineMinutes,
  };
}

/** The tunable thresholds in force for a fleet, named as the API names them (its override, else the default). */
export function telemetryInForce(fleet: { speed_limit_kmh: number; telemetry?: unknown }): Required<TelemetryOverrides> {
  const t = telemetrySettings(fleet);
  return {
    harsh_braking_ms2: t.harshBrakingMs2,
    harsh_acceleration_ms2: t.harshAccelerationMs2,
    speeding_tolerance_kmh: t.speedingToleranceKmh,
    speeding_min_seconds: t.speedingMinSeconds,
    idle_minutes: t.idleMinutes,
    trip_end_stop_minutes: t.tripEndStopMinutes,
    moving_speed_kmh: t.movingSpeedKmh,
    offline_minutes: t.offlineMinutes,
  };
}
