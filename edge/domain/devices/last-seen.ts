/**
 * `devices.last_seen_at`, written at most once per device every TOUCH_EVERY_SECONDS: a taxi reporting every second
 * would otherwise turn each ingest request into an extra row update. The cache's fixed-window counter decides
 * which request writes (the first of each window), across every instance that shares the cache.
 */
import type { Platform } from '../../platform.ts';

export const TOUCH_EVERY_SECONDS = 30;

export async function touchLastSeen(platform: Pick<Platform, 'cache' | 'db' | 'clock'>, deviceId: string): Promise<void> {
  const first = (await platform.cache.increment(`device:${deviceId}:seen`, 1, { ttlSeconds: TOUCH_EVERY_SECONDS })) === 1;
  if (!first) return;
  await platform.db.kysely.updateTable('devices').set({ last_seen_at: new Date(platform.clock.now()) }).where('id', '=', deviceId).execute();
}
