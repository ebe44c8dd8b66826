/**
 * A step of the fix pipeline, before storing: fixes that imply an impossible jump from the taxi's previous
 * position (a GPS glitch, not a drive) are dropped, and a fix without speed or heading gets them from the
 * positions, so the live map, the trip replay and the rules see how fast a taxi goes even when its device reports
 * positions only (many phones, the recorded drives). `screenFixes` is pure; `previousFix` is its one read.
 */
import { prepared } from '../../db/prepared.ts';
import type { Platform } from '../../platform.ts';
import { bearingDeg, impliedKmh, isJump, MAX_DERIVE_GAP_MS, type Position } from '../telemetry/implied-motion.ts';
import type { FixInput } from './fix-input.ts';

/** Below this a heading from two positions is GPS noise around a taxi that is not going anywhere. */
const MIN_HEADING_KMH = 5;

export interface ScreenedFixes {
  fixes: FixInput[];
  /** Fixes dropped as jumps (not stored; the device must not send them again). */
  implausible: number;
}

/**
 * `previous`: the stored fix just before the batch (null when none is recent enough to matter). Each fix is judged
 * against the last one kept, in device-time order; after 30 s without a kept fix anything is accepted again, so a
 * unit that really moved (towed, switched on elsewhere) is followed again within half a minute.
 */
export function screenFixes(previous: Position | null, fixes: FixInput[]): ScreenedFixes {
  const ordered = fixes.map((fix) => ({ fix, at: Date.parse(fix.timestamp) })).sort((a, b) => a.at - b.at);
  const kept: FixInput[] = [];
  const droppedAt = new Set<number>();
  let last = previous;
  for (const { fix, at } of ordered) {
    const here = { at, lat: fix.latitude, lon: fix.longitude };
    if (droppedAt.has(at) || isJump(last, here)) {
      droppedAt.add(at); // the same fix repeated in the batch is the same jump
      continue;
    }
    const kmh = impliedKmh(last, here);
    const speed = fix.speed ?? (kmh === null ? undefined : Math.round(kmh * 10) / 10);
    const heading = fix.heading ?? (last && kmh !== null && (speed ?? 0) >= MIN_HEADING_KMH ? Math.round(bearingDeg(last, here)) % 360 : undefined);
    kept.push({ ...fix, ...(speed === undefined ? {} : { speed }), ...(heading === undefined ? {} : { heading }) });
    if (last === null || at > last.at) last = here;
  }
  return { fixes: kept, implausible: fixes.length - kept.length };
}

/** The vehicle's stored fix just before `before` (epoch ms), if one is recent enough to judge the next by. */
export async function previousFix(platform: Platform, vehicleId: string, before: number): Promise<Position | null> {
  return (await previousFixes(platform, [{ vehicleId, before }]))[0];
}

/** previousFix for several batches in one statement (the batches that arrive together: fix-pipeline.ts). */
export async function previousFixes(platform: Platform, batches: { vehicleId: string; before: number }[]): Promise<(Position | null)[]> {
  // Prepared (db/prepared.ts): the batches go in as arrays, so the text is the same for any number of them.
  const { rows } = await prepared<{ i: number; device_time: Date; latitude: number; longitude: number }>`
    SELECT w.i, f.device_time, f.latitude, f.longitude
    FROM unnest(${batches.map((_, i) => i)}::int[], ${batches.map((b) => b.vehicleId)}::text[], ${batches.map((b) => new Date(b.before).toISOString())}::timestamptz[],
      ${batches.map((b) => new Date(b.before - MAX_DERIVE_GAP_MS).toISOString())}::timestamptz[]) AS w(i, vehicle_id, before, since)
    CROSS JOIN LATERAL (
      SELECT device_time, latitude, longitude FROM gps_fixes
      WHERE vehicle_id = w.vehicle_id AND device_time < w.before AND device_time >= w.since
      ORDER BY device_time DESC LIMIT 1
    ) AS f`.execute(platform.db.urgent);
  const found = new Map(rows.map((r) => [Number(r.i), { at: new Date(r.device_time).getTime(), lat: r.latitude, lon: r.longitude }]));
  return batches.map((_, i) => found.get(i) ?? null);
}
