/** Redis for tests: the local server (TEST_REDIS_URL, default redis://127.0.0.1:6379) when it answers. */
import { createClient } from 'redis';
import { nodeRedisConnection } from '../../edge/adapters/redis/node-redis-connection.ts';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let reachable: Promise<boolean> | undefined;

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
      console.warn(`Redis not reachable at ${TEST_REDIS_URL}: Redis suites are skipped.`);
      return false;
    }
  })();
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
