/** The Cache port contract (ports/cache.ts), run over every adapter. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../ports/cache.ts';
import { createManualClock, type ManualClock } from '../clock/manual-clock.ts';
import { createTestRedis, redisAvailable } from '../../../e2e/support/test-redis.ts';
import { createTestUpstash } from '../../../e2e/support/test-upstash.ts';
import { createMemoryCache } from './memory-cache.ts';
import { createRedisCache } from './redis-cache.ts';

const redisUp = await redisAvailable();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => Promise.all(cleanups.map((c) => c())));
const realWait = (seconds: number) => new Promise<void>((r) => setTimeout(r, seconds * 1000));

interface AdapterUnderTest {
  name: string;
  available?: boolean;
  /** Adapters on real servers cannot follow a manual clock; they get real time and short TTLs instead. */
  create(clock: ManualClock): Promise<{ cache: Cache; expire(seconds: number): Promise<void> }>;
}

const adapters: AdapterUnderTest[] = [
  {
    name: 'memory',
    create: async (clock) => ({
      cache: createMemoryCache(clock),
      expire: async (seconds) => clock.advance(seconds * 1000),
    }),
  },
  {
    name: 'redis',
    available: redisUp,
    create: async () => {
      const redis = await createTestRedis();
      cleanups.push(redis.close);
      return { cache: createRedisCache(redis.connection, { keyPrefix: redis.keyPrefix }), expire: realWait };
    },
  },
  {
    name: 'upstash',
    available: redisUp,
    create: async () => {
      const upstash = await createTestUpstash();
      cleanups.push(upstash.close);
      return { cache: createRedisCache(upstash.connection, { keyPrefix: upstash.keyPrefix }), expire: realWait };
    },
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.available === false)(`Cache contract: ${adapter.name}`, () => {
    let cache: Cache;
    let expire: (seconds: number) => Promise<void>;
    const key = (name: string) => `contract:${crypto.randomUUID()}:${name}`;

    beforeEach(async () => {
      ({ cache, expire } = await adapter.create(createManualClock()));
    });

    it('answers ping and names its adapter', async () => {
      await expect(cache.ping()).resolves.toBeUndefined();
      expect(cache.adapter).toBe(adapter.name);
    });

    it('returns null on a miss', async () => {
      expect(await cache.get(key('missing'))).toBeNull();
    });

    it('round-trips JSON values, including strings that look like numbers', async () => {
      const k = key('json');
      const value = { lat: 40.4, lon: -3.7, plate: '1234ABC', tags: ['a'], n: null, digits: '12' };
      await cache.set(k, value);
      expect(await cache.get(k)).toEqual(value);
      await cache.set(k, '12');
      expect(await cache.get(k)).toBe('12');
    });

    it('expires keys after their TTL and keeps keys without one', async () => {
      const short = key('short');
      const forever = key('forever');
      await cache.set(short, 1, { ttlSeconds: 1 });
      await cache.set(forever, 2);
      expect(await cache.get(short)).toBe(1);
      await expire(1.2);
      expect(await cache.get(short)).toBeNull();
      expect(await cache.get(forever)).toBe(2);
    });

    it('deletes, and deleting a missing key is fine', async () => {
      const k = key('del');
      await cache.set(k, 'x');
      await cache.delete(k);
      await cache.delete(k);
      expect(await cache.get(k)).toBeNull();
    });

    it('increments atomically under concurrency', async () => {
      const k = key('counter');
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.increment(k)));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(50);
      expect(await cache.increment(k, 5)).toBe(55);
    });

    it('applies an increment TTL only when the key is created (fixed window)', async () => {
      const k = key('window');
      await cache.increment(k, 1, { ttlSeconds: 1 });
      await expire(0.6);
      await cache.increment(k, 1, { ttlSeconds: 1 });
      await expire(0.6);
      // The window started at the first increment, so it is over even though the second came later.
      expect(await cache.get(k)).toBeNull();
      expect(await cache.increment(k)).toBe(1);
    });
  });
}
