/**
 * The slice of a Redis client the cache and bus adapters use, so one implementation serves Redis over TCP
 * (node-redis) and Upstash over REST (@upstash/redis): raw commands, and a pub/sub subscription.
 */
export interface RedisConnection {
  /** Runs one command; replies are RESP2 shapes (strings, numbers, arrays, null). */
  command(args: (string | number)[]): Promise<unknown>;
  /** Subscribes to a channel; the returned function unsubscribes. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /** Short name for /health, e.g. "redis" or "upstash". */
  readonly name: string;
}
