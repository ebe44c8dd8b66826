/** Cache on Redis or Upstash: JSON values, TTLs in Redis, increments atomic through a Lua script. */
import type { Cache } from '../../ports/cache.ts';
import type { RedisConnection } from '../redis/redis-connection.ts';

// The TTL applies only when INCRBY creates the key: a fixed window, as the port promises.
const INCREMENT = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if created and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

export function createRedisCache(connection: RedisConnection, options: { keyPrefix?: string } = {}): Cache {
  const prefix = options.keyPrefix ?? 'tw:';
  const k = (key: string) => `${prefix}cache:${key}`;
  return {
    adapter: connection.name,
    async ping() {
      const reply = await connection.command(['PING']);
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
    },
    async get<T>(key: string) {
      const raw = await connection.command(['GET', k(key)]);
      return raw === null || raw === undefined ? null : (JSON.parse(String(raw)) as T);
    },
    async set(key, value, opts = {}) {
      const args: (string | number)[] = ['SET', k(key), JSON.stringify(value)];
      if (opts.ttlSeconds !== undefined) args.push('PX', Math.max(1, Math.round(opts.ttlSeconds * 1000)));
      await connection.command(args);
    },
    async delete(key) {
      await connection.command(['DEL', k(key)]);
    },
    async increment(key, by = 1, opts = {}) {
      const ttlMs = opts.ttlSeconds === undefined ? 0 : Math.max(1, Math.round(opts.ttlSeconds * 1000));
      return Number(await connection.command(['EVAL', INCREMENT, 1, k(key), by, ttlMs]));
    },
  };
}
