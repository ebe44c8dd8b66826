/**
 * The fix pipeline's two reads and writes before the answer, for the batches that arrive together (grouped-calls.ts):
 * thousands of taxis then cost a few statements a second instead of two per batch, and a quiet fleet waits for
 * nothing (a lone batch is its own group, at once).
 */
import type { Platform } from '../../platform.ts';
import type { Position } from '../telemetry/implied-motion.ts';
import { createGroupedCalls, perOwner } from '../grouped-calls.ts';
import { previousFixes } from './screen-fixes.ts';
import { storeFixesOfDevices, type FixBatch, type StoredFixes } from './store-fixes.ts';
import { createLastStoredFixes, type LastStoredFixes } from './last-stored-fix.ts';

interface Grouped {
  previous(item: { vehicleId: string; before: number }): Promise<Position | null>;
  store(item: FixBatch): Promise<StoredFixes>;
  /** The newest fix each vehicle's last store inserted, in this process. */
  lastStored: LastStoredFixes;
}

/** The platform's grouped calls (one set per app instance: its database and clock). */
export const groupedIngest = perOwner(
  (platform: Platform): Grouped => ({
    // One read in flight: the next batches' reads gather behind it into one statement. The read is a single index
    // probe per vehicle, so a group costs Postgres about what one read does, and under load (when round trips
    // slow down) the groups grow by themselves instead of the statements per second.
    previous: createGroupedCalls((items: { vehicleId: string; before: number }[]) => previousFixes(platform, items), { key: (i) => i.vehicleId, maxRunning: 1 }),
    // At most 4,000 fixes a group, so one statement's arrays stay a few hundred kilobytes.
    store: createGroupedCalls((items: FixBatch[]) => storeFixesOfDevices(platform, items), {
      key: (i) => i.device.vehicleId,
      weight: (i) => i.fixes.length,
      maxWeight: 4000,
    }),
    lastStored: createLastStoredFixes(),
  }),
);
