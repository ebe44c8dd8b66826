/**
 * Speeding: above the fleet's limit (plus its tolerance) for at least settings.speedingMinSeconds without a break.
 * One sustained episode is one incident, dated when it began; a gap in the fixes longer than
 * settings.episodeMaxGapSeconds ends the episode, because we cannot claim the taxi kept speeding meanwhile.
 */
import type { FixStepContext } from '../telemetry-types.ts';
import { speedingText } from './telemetry-text.ts';

export function speeding({ prev, fix, state, settings, emit }: FixStepContext): void {
  const threshold = settings.speedLimitKmh + settings.speedingToleranceKmh;
  if (state.speeding && prev && fix.at - prev.at > settings.episodeMaxGapSeconds * 1000) state.speeding = null;
  if (fix.speed <= threshold) {
    state.speeding = null;
    return;
  }
  const episode = (state.speeding ??= { since: fix.at, lastAt: fix.at, lat: fix.lat, lon: fix.lon, peakKmh: fix.speed, reported: false });
  episode.lastAt = fix.at;
  episode.peakKmh = Math.max(episode.peakKmh, fix.speed);
  if (episode.reported || fix.at - episode.since < settings.speedingMinSeconds * 1000) return;
  episode.reported = true;
  const excess = episode.peakKmh - settings.speedLimitKmh;
  emit({
    type: 'SPEEDING',
    severity: excess >= 30 ? 'HIGH' : excess >= 15 ? 'MEDIUM' : 'LOW',
    occurredAt: episode.since,
    lat: episode.lat,
    lon: episode.lon,
    description: speedingText(settings.language, episode.peakKmh, settings.speedLimitKmh, (fix.at - episode.since) / 1000),
  });
}
