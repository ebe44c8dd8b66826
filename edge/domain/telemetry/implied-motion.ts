/**
 * What two positions imply: the speed between them, the direction, and whether the second is a GPS jump rather
 * than a drive. One definition for the fix pipeline (which stores derived speeds and drops jumps before storing)
 * and the telemetry engine (which replays stored fixes, some stored before the pipeline screened them).
 */
import { distanceM } from './geo.ts';

/** Faster than any taxi: a fix implying this speed from the previous one is a GPS jump, not a drive. */
export const MAX_PLAUSIBLE_KMH = 250;
/** Over longer intervals a position-derived speed is an average of who knows what, so none is derived. */
export const MAX_DERIVE_GAP_MS = 30_000;

export interface Position {
  /** Epoch milliseconds. */
  at: number;
  lat: number;
  lon: number;
}

/** km/h from `prev` to `fix`; null without a predecessor close enough in time (or at the same time). */
export function impliedKmh(prev: Position | null, fix: Position): number | null {
  if (!prev) return null;
  const dtMs = fix.at - prev.at;
  if (dtMs <= 0 || dtMs > MAX_DERIVE_GAP_MS) return null;
  return (distanceM(prev, fix) / (dtMs / 1000)) * 3.6;
}

/** True when reaching `fix` from `prev` would take an implausible speed. */
export function isJump(prev: Position | null, fix: Position): boolean {
  const kmh = impliedKmh(prev, fix);
  return kmh !== null && kmh > MAX_PLAUSIBLE_KMH;
}

/** Initial great-circle bearing from `a` to `b`, degrees clockwise from north in [0, 360). */
export function bearingDeg(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLon = (b.lon - a.lon) * rad;
  const y = Math.sin(dLon) * Math.cos(b.lat * rad);
  const x = Math.cos(a.lat * rad) * Math.sin(b.lat * rad) - Math.sin(a.lat * rad) * Math.cos(b.lat * rad) * Math.cos(dLon);
  return ((Math.atan2(y, x) / rad) % 360 + 360) % 360;
}
