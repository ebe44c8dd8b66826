/**
 * Long idling: at rest inside a trip (the unit keeps reporting, so the ignition is presumably on) for at least
 * settings.idleMinutes. Outside a trip a parked taxi is just parked. A gap in the fixes ends the episode: a unit
 * that stops reporting is more likely switched off than idling.
 */
import type { FixStepContext } from '../telemetry-types.ts';
import { idlingText } from './telemetry-text.ts';

export function idling({ prev, fix, state, settings, emit }: FixStepContext): void {
  if (!state.trip || fix.speed >= settings.movingSpeedKmh) {
    state.idle = null;
    return;
  }
  if (state.idle && prev && fix.at - prev.at > settings.episodeMaxGapSeconds * 1000) state.idle = null;
  const episode = (state.idle ??= { since: fix.at, lastAt: fix.at, lat: fix.lat, lon: fix.lon, peakKmh: 0, reported: false });
  episode.lastAt = fix.at;
  if (episode.reported || fix.at - episode.since < settings.idleMinutes * 60_000) return;
  episode.reported = true;
  emit({
    type: 'IDLING',
    severity: 'LOW',
    occurredAt: episode.since,
    lat: episode.lat,
    lon: episode.lon,
    description: idlingText(settings.language, (fix.at - episode.since) / 60_000),
  });
}
