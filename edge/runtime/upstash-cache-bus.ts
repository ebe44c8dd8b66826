/** Cache and live bus on Upstash when its REST URL and token are configured (Workers, and Node/Deno too). */
import { createRedisBus } from '../adapters/bus/redis-bus.ts';
import { createRedisCache } from '../adapters/cache/redis-cache.ts';
import { createUpstashRedis, upstashConnection } from '../adapters/redis/upstash-connection.ts';
import type { Config } from '../config.ts';
import type { Bus } from '../ports/bus.ts';
import type { Cache } from '../ports/cache.ts';
import type { Clock } from '../ports/clock.ts';

/** `perRequest`: Workers, where a subscription cannot outlive the request that opened it (see redis-bus.ts). */
export function upstashCacheBus(config: Config, clock: Clock, options: { perRequest?: boolean } = {}): { cache: Cache; bus: Bus } | null {
  if (!config.UPSTASH_REDIS_REST_URL || !config.UPSTASH_REDIS_REST_TOKEN) return null;
  const connection = upstashConnection(createUpstashRedis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN }));
  const keyPrefix = config.REDIS_KEY_PREFIX;
  const bus = createRedisBus(connection, clock, { keyPrefix, ...(options.perRequest ? { subscriptionPerListener: true, watchdogMs: 0 } : {}) });
  return { cache: createRedisCache(connection, { keyPrefix }), bus };
}
