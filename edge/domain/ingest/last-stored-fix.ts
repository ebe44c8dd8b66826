/**
 * The newest fix this process stored for each vehicle. A taxi's next batch usually continues right after it, so its
 * screening (screen-fixes.ts) can judge the batch against it without reading the previous fix back from the
 * database first: one round trip less before the device's answer. It is only an assumption, since another
 * instance may have stored fixes of the vehicle meanwhile: the store checks, in the same statement, that no fix lies
 * between the assumed previous fix and the batch (store-fixes.ts) and stores nothing if one does; the pipeline then
 * reads the real previous fix and screens and stores again. So the outcome is the same as with the read.
 */
import { MAX_DERIVE_GAP_MS, type Position } from '../telemetry/implied-motion.ts';

/** What a batch starting at `earliest` assumes: its previous fix, and the span that must hold no other fix. */
export interface AssumedPrevious {
  previous: Position | null;
  /** No stored fix of the vehicle may lie strictly between `after` and `before` (epoch ms). */
  gap: { after: number; before: number };
}

export interface LastStoredFixes {
  /** The assumption for a batch of the vehicle starting at `earliest`; null when the batch does not continue it. */
  assume(vehicleId: string, earliest: number): AssumedPrevious | null;
  /** After a store: `newest` is the newest fix the store inserted (kept when older than the one known). */
  remember(vehicleId: string, newest: Position): void;
}

/** `limit` vehicles are remembered; the least recently stored are forgotten first. */
export function createLastStoredFixes(limit = 100_000): LastStoredFixes {
  const byVehicle = new Map<string, Position>();
  return {
    assume(vehicleId, earliest) {
      const last = byVehicle.get(vehicleId);
      if (!last || last.at >= earliest) return null;
      // The read it replaces looks back MAX_DERIVE_GAP_MS at most: an older fix is no predecessor, only the proof
      // that nothing lies in the window.
      const since = earliest - MAX_DERIVE_GAP_MS;
      return last.at >= since ? { previous: last, gap: { after: last.at, before: earliest } } : { previous: null, gap: { after: since - 1, before: earliest } };
    },
    remember(vehicleId, newest) {
      const known = byVehicle.get(vehicleId);
      if (known && known.at >= newest.at) return;
      // Re-inserted, so the Map's order is the order of the last store and the first key the stalest.
      byVehicle.delete(vehicleId);
      byVehicle.set(vehicleId, { at: newest.at, lat: newest.lat, lon: newest.lon });
      if (byVehicle.size > limit) byVehicle.delete(byVehicle.keys().next().value!);
    },
  };
}
