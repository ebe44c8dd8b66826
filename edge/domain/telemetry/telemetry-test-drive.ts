/**
 * Test helper: builds a drive as fixes with explicit times, moving north at the given speeds, with positions that
 * agree with the speeds (as a real GPS would report them). Only imported by tests.
 */
import type { TelemetryFix } from './telemetry-types.ts';
import { DEFAULT_TELEMETRY, type TelemetrySettings } from './settings.ts';

export const T0 = Date.parse('2026-06-01T07:00:00Z');
const METRES_PER_DEGREE_LAT = 111_195;

export interface Leg {
  /** Speed at the end of the leg; the speed changes linearly from the previous leg's end. */
  kmh: number;
  seconds: number;
}

/** One fix per `stepS` seconds from `startAt`, following the legs; speeds reported unless `reportSpeed` is false. */
export function drive(legs: Leg[], options: { startAt?: number; stepS?: number; startKmh?: number; reportSpeed?: boolean; lat?: number } = {}): TelemetryFix[] {
  const step = options.stepS ?? 1;
  let at = options.startAt ?? T0;
  let lat = options.lat ?? 40.4;
  let speed = options.startKmh ?? 0;
  const fixes: TelemetryFix[] = [{ at, lat, lon: -3.7, speedKmh: options.reportSpeed === false ? null : speed, accuracyM: 5 }];
  for (const leg of legs) {
    const from = speed;
    for (let t = step; t <= leg.seconds; t += step) {
      const next = from + ((leg.kmh - from) * t) / leg.seconds;
      lat += (((speed + next) / 2 / 3.6) * step) / METRES_PER_DEGREE_LAT;
      speed = next;
      at += step * 1000;
      fixes.push({ at, lat, lon: -3.7, speedKmh: options.reportSpeed === false ? null : Math.round(speed * 10) / 10, accuracyM: 5 });
    }
    speed = leg.kmh;
  }
  return fixes;
}

export const testSettings = (over: Partial<TelemetrySettings> = {}): TelemetrySettings => ({ ...DEFAULT_TELEMETRY, speedLimitKmh: 50, language: 'en', ...over });

export const seconds = (s: number) => s * 1000;
