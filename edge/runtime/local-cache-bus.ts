/**
 * Chooses the cache and live bus on Node and Deno: Redis over TCP, else Upstash, else in-process memory. The Redis
 * client is imported only when REDIS_URL is set, so a server on the defaults does not carry it in memory.
 */
import { createMemoryBus } from '../adapters/bus/memory-bus.ts';
import { createRedisBus } from '../adapters/bus/redis-bus.ts';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createRedisCache } from '../adapters/cache/redis-cache.ts';
import type { Config } from '../config.ts';
import type { Bus } from '../ports/bus.ts';
import type { Cache } from '../ports/cache.ts';
import type { Clock } from '../ports/clock.ts';
import { upstashCacheBus } from './upstash-cache-bus.ts';

export async function openLocalCacheBus(config: Config, clock: Clock): Promise<{ cache: Cache; bus: Bus; close(): Promise<void> }> {
  if (config.REDIS_URL) {
    const [{ createClient }, { nodeRedisConnection }] = await Promise.all([import('redis'), import('../adapters/redis/node-redis-connection.ts')]);
    const client = createClient({ url: config.REDIS_URL });
    // Connection errors surface through /health and failing commands; an unhandled 'error' event would crash.
    client.on('error', () => {});
    // Not awaited: an unreachable Redis must show as down in /health, not hang the start. Commands queue until connected.
    void client.connect().catch(() => {});
    const connection = nodeRedisConnection(client as never);
    const keyPrefix = config.REDIS_KEY_PREFIX;
    return { cache: createRedisCache(connection, { keyPrefix }), bus: createRedisBus(connection, clock, { keyPrefix }), close: () => connection.close() };
  }
  const upstash = upstashCacheBus(config, clock);
  if (upstash) return { ...upstash, close: async () => {} };
  return { cache: createMemoryCache(clock), bus: createMemoryBus(clock), close: async () => {} };
}
