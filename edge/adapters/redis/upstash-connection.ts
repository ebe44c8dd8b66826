/** RedisConnection over Upstash's REST API (@upstash/redis), for Workers and anywhere TCP is unavailable. */
import { Redis } from '@upstash/redis/cloudflare';
import type { RedisConnection } from './redis-connection.ts';

export function createUpstashRedis(options: { url: string; token: string }): Redis {
  // Raw replies: the port does its own JSON, and auto-deserialisation would turn "12" into 12.
  return new Redis({ url: options.url, token: options.token, automaticDeserialization: false, enableTelemetry: false });
}

export function upstashConnection(redis: Redis): RedisConnection {
  return {
    name: 'upstash',
    command: (args) => redis.exec(args.map(String) as [string, ...string[]]),
    async subscribe(channel, onMessage) {
      const subscriber = redis.subscribe<string>(channel);
      // Resolve only once the stream confirms the subscription, so no event published after this is missed.
      const confirmed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Upstash subscribe to ${channel} was not confirmed within 10 s`)), 10_000);
        subscriber.on('subscribe', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      subscriber.on('message', ({ message }) => onMessage(typeof message === 'string' ? message : JSON.stringify(message)));
      await confirmed;
      return () => subscriber.unsubscribe();
    },
  };
}
