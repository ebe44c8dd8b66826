/** RedisConnection over node-redis (TCP, Node and Deno). Pub/sub needs its own connection, opened on first use. */
import type { RedisClientType } from 'redis';
import type { RedisConnection } from './redis-connection.ts';

export function nodeRedisConnection(client: RedisClientType<any, any, any, any, any>): RedisConnection & { close(): Promise<void> } {
  let subscriber: Promise<RedisClientType<any, any, any, any, any>> | undefined;
  return {
    name: 'redis',
    command: (args) => client.sendCommand(args.map(String)) as Promise<unknown>,
    async subscribe(channel, onMessage) {
      subscriber ??= (async () => {
        const duplicate = client.duplicate();
        duplicate.on('error', () => {});
        await duplicate.connect();
        return duplicate;
      })();
      const sub = await subscriber;
      await sub.subscribe(channel, onMessage);
      return async () => {
        await sub.unsubscribe(channel, onMessage);
      };
    },
    async close() {
      if (subscriber) await (await subscriber).close();
      await client.close();
    },
  };
}
