/** Upstash for tests: the loopback REST server in front of the local Redis, and a connection through it. */
import { startUpstashRestServer } from './upstash-rest-server.ts';
import { createUpstashRedis, upstashConnection } from '../../edge/adapters/redis/upstash-connection.ts';
import { createTestRedis, TEST_REDIS_URL } from './test-redis.ts';

export async function createTestUpstash() {
  const server = await startUpstashRestServer({ redisUrl: TEST_REDIS_URL, token: `token-${crypto.randomUUID()}` });
  const connection = upstashConnection(createUpstashRedis({ url: server.url, token: server.token }));
  // Key clean-up goes straight to Redis.
  const direct = await createTestRedis();
  return {
    connection,
    keyPrefix: direct.keyPrefix,
    async close() {
      await direct.close();
      await server.close();
    },
  };
}
