/**
 * `devices.last_seen_at`, written at most once per device every TOUCH_EVERY_SECONDS: a taxi reporting every second
 * would otherwise turn each ingest request into an extra row update. The cache's fixed-window counter decides
 * which request writes (the first of each window), across every instance that shares the cache; the writes of
 * devices whose windows open together share one UPDATE (grouped-calls.ts): thousands of taxis reporting, or all of
 * them reconnecting after a restart, cost a few statements a second instead of one per device.
 */
import type { Platform } from '../../platform.ts';
import { allDone, createGroupedCalls, perOwner } from '../grouped-calls.ts';

export const TOUCH_EVERY_SECONDS = 30;

type TouchDeps = Pick<Platform, 'cache' | 'db' | 'clock'>;

export async function touchLastSeen(platform: TouchDeps, deviceId: string): Promise<void> {
  const first = (await platform.cache.increment(`device:${deviceId}:seen`, 1, { ttlSeconds: TOUCH_EVERY_SECONDS })) === 1;
  if (!first) return;
  await groupedTouch(platform)(deviceId);
}

/** Marks the devices seen now, in one statement. */
export async function markDevicesSeen(platform: Pick<Platform, 'db' | 'clock'>, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await platform.db.kysely.updateTable('devices').set({ last_seen_at: new Date(platform.clock.now()) }).where('id', 'in', deviceIds).execute();
}

// One update in flight: the touches that come meanwhile wait for it and then go together.
const groupedTouch = perOwner((platform: TouchDeps) =>
  createGroupedCalls(allDone((ids: string[]) => markDevicesSeen(platform, ids)), { key: (id) => id, maxRunning: 1, maxGroup: 500 }),
);
