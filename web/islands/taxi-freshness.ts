/**
 * How fresh a taxi's position is. A unit sends its fixes every few seconds; past two minutes without one the map
 * no longer claims the taxi is moving: it shows how old the last report is and fades the marker.
 */
import type { VehicleView } from '../client/stores.ts';
import type { I18n } from '../i18n/i18n.ts';

export const STALE_AFTER_MS = 2 * 60_000;

/** Milliseconds since the taxi's last fix (never negative), or null without one. */
export function reportAgeMs(vehicle: VehicleView, now: number): number | null {
  const at = vehicle.location ? Date.parse(vehicle.location.device_time) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, now - at);
}

export const isStale = (vehicle: VehicleView, now: number) => (reportAgeMs(vehicle, now) ?? 0) > STALE_AFTER_MS;

/** "45 s", "3 min", "2 h", "4 d". */
export function ageText(t: I18n['t'], ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return t('age.seconds', { n: s });
  if (s < 3600) return t('age.minutes', { n: Math.floor(s / 60) });
  if (s < 86_400) return t('age.hours', { n: Math.floor(s / 3600) });
  return t('age.days', { n: Math.floor(s / 86_400) });
}

/** What the list and the marker say about a taxi: its status while fresh, else how old its last report is. */
export function statusText(t: I18n['t'], label: string, vehicle: VehicleView, now: number): string {
  const age = reportAgeMs(vehicle, now);
  return age !== null && age > STALE_AFTER_MS ? t('map.lastReportAgo', { age: ageText(t, age) }) : label;
}
