/**
 * Trips: a trip starts at the first fix at moving speed and ends when the taxi has been at rest for
 * settings.tripEndStopMinutes (it ends when the rest began), or when the fixes stop for that long (it ends at the
 * last fix before the gap). Distance counts only segments where the taxi moved, so GPS drift around a waiting
 * taxi adds nothing; a "trip" that ends shorter than settings.minTripDistanceM was drift and is discarded.
 */
import { distanceM } from './geo.ts';
import type { FixStepContext, OpenTrip, TripRecord } from './telemetry-types.ts';

export interface TripSink {
  ended(trip: TripRecord): void;
  discarded(startedAt: number): void;
}

export function tripRecord(trip: OpenTrip, endedAt: number | null): TripRecord {
  const end = endedAt ?? trip.lastAt;
  const durationS = Math.max(0, Math.round((end - trip.startedAt) / 1000));
  return {
    startedAt: trip.startedAt,
    endedAt,
    distanceM: Math.round(trip.distanceM),
    durationS,
    maxSpeedKmh: Math.round(trip.maxSpeedKmh * 10) / 10,
    avgSpeedKmh: durationS > 0 ? Math.round((trip.distanceM / durationS) * 3.6 * 10) / 10 : 0,
  };
}

/** Where an open trip ends if nothing more arrives: when its final rest began, else at its last fix. */
export const tripEndIfClosed = (trip: OpenTrip) => trip.stoppedSince ?? trip.lastAt;

export function segmentTrips({ prev, fix, state, settings }: FixStepContext, sink: TripSink): void {
  const stopMs = settings.tripEndStopMinutes * 60_000;
  const moving = fix.speed >= settings.movingSpeedKmh;
  const close = (endedAt: number) => {
    const trip = state.trip!;
    state.trip = null;
    if (trip.distanceM < settings.minTripDistanceM) sink.discarded(trip.startedAt);
    else sink.ended(tripRecord(trip, endedAt));
  };

  if (state.trip && prev && fix.at - prev.at > stopMs) close(tripEndIfClosed(state.trip));
  const trip = state.trip;
  if (trip) {
    if (prev && (moving || prev.speed >= settings.movingSpeedKmh)) trip.distanceM += distanceM(prev, fix);
    trip.lastAt = fix.at;
    trip.maxSpeedKmh = Math.max(trip.maxSpeedKmh, fix.speed);
    if (moving) {
      trip.lastMovingAt = fix.at;
      trip.stoppedSince = null;
    } else {
      trip.stoppedSince ??= fix.at;
      if (fix.at - trip.stoppedSince >= stopMs) close(trip.stoppedSince);
    }
    return;
  }
  if (moving) state.trip = { startedAt: fix.at, lastAt: fix.at, lastMovingAt: fix.at, stoppedSince: null, distanceM: 0, maxSpeedKmh: fix.speed };
}
