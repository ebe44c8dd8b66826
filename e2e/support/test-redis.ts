/** Redis for tests: the local server (TEST_REDIS_URL, default redis://127.0.0.1:6379) when it answers. */
import { createClient } from 'redis';
import { nodeRedisConnection } from '../../edge/adapters/redis/node-redis-connection.ts';
import { requiredInCi } from './required-in-ci.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;

/** Whether the test Redis answers; in CI (CI=true) it rejects instead, so Redis suites fail rather than skip. */
export function redisAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = createClient({ url: TEST_REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return true;
    } catch {
      return false;
    }
  })().then((up) => requiredInCi(up, `Redis at ${TEST_REDIS_URL}`, 'start redis-server, or set TEST_REDIS_URL'));
  return reachable;
}

/** A connection plus a unique key prefix; `close()` deletes every key under the prefix. */
export async function createTestRedis() {
  const client = createClient({ url: TEST_REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  const connection = nodeRedisConnection(client as never);
  const keyPrefix = `test:${crypto.randomUUID()}:`;
  return {
    connection,
    keyPrefix,
    async close() {
      for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys);
      }
      await connection.close();
    },
  };
}

/**
 * For servers a test starts as processes (REDIS_KEY_PREFIX in their environment): a prefix no other run shares,
 * and a cleanup that deletes every key under it once they have stopped.
 */
export function serverRedisKeys() {
  const prefix = `test:${crypto.randomUUID()}:`;
  return {
    REDIS_KEY_PREFIX: prefix,
    async deleteAll() {
      const client = createClient({ url: TEST_REDIS_URL });
      client.on('error', () => {});
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
          if (keys.length > 0) await client.del(keys);
        }
      } finally {
        await client.close();
      }
    },
  };
}
