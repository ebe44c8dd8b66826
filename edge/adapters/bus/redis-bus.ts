/**
 * Live bus on Redis or Upstash: each event goes into the fleet's stream and the all-fleets stream (XADD, bounded
 * length) and is announced on one pub/sub channel, all in one Lua script so nothing is half-published.
 * Every process holds one subscription and fans out to its own listeners: no polling per SSE client.
 */
import { ALL_FLEETS, streamOf, type Bus, type LiveEvent } from '../../ports/bus.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RedisConnection } from '../redis/redis-connection.ts';

// KEYS: fleet stream, all-fleets stream. ARGV: max length, event JSON (without id), channel.
// One id for both streams, so an id means the same event whichever feed it came from (the all-fleets stream receives
// every event, so its last id is never behind a fleet stream's). If a fleet stream is somehow ahead (keys restored
// or trimmed by hand), XADD with that id fails and the fleet stream falls back to its own next id.
const PUBLISH = `
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[1], '*', 'e', ARGV[2])
if KEYS[1] ~= KEYS[2] then
  local ok = redis.pcall('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], id, 'e', ARGV[2])
  if type(ok) == 'table' and ok.err then id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], '*', 'e', ARGV[2]) end
end
redis.call('PUBLISH', ARGV[3], id .. ' ' .. ARGV[2])
return id`;

type Body = Omit<LiveEvent, 'id'>;

export function createRedisBus(connection: RedisConnection, clock: Clock, options: { keyPrefix?: string; maxLength?: number } = {}): Bus {
  const prefix = options.keyPrefix ?? 'tw:';
  const maxLength = options.maxLength ?? 1000;
  const channel = `${prefix}live`;
  const streamKey = (stream: string) => `${prefix}stream:${stream}`;
  const listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  let subscription: Promise<unknown> | undefined;

  const deliver = (stream: string, event: LiveEvent) => {
    for (const listener of listeners.get(stream) ?? []) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not stop delivery to the others.
      }
    }
  };

  const onAnnouncement = (message: string) => {
    const space = message.indexOf(' ');
    const id = message.slice(0, space);
    const body = JSON.parse(message.slice(space + 1)) as Body;
    const stream = streamOf(body.fleetId);
    deliver(stream, { id, ...body });
    if (stream !== ALL_FLEETS) deliver(ALL_FLEETS, { id, ...body });
  };

  return {
    adapter: connection.name,
    async ping() {
      await connection.command(['PING']);
    },
    async publish(fleetId, type, data) {
      const body: Body = { type, fleetId, data, at: new Date(clock.now()).toISOString() };
      const json = JSON.stringify(body);
      const stream = streamOf(fleetId);
      const id = (await connection.command(['EVAL', PUBLISH, 2, streamKey(stream), streamKey(ALL_FLEETS), maxLength, json, channel])) as string;
      return { id, ...body };
    },
    async replay(stream, afterId, limit = maxLength) {
      const start = afterId === null ? '-' : `(${afterId}`;
      const entries = (await connection.command(['XRANGE', streamKey(stream), start, '+', 'COUNT', limit])) as [string, string[]][];
      return entries.map(([id, fields]) => ({ id, ...(JSON.parse(fields[1]) as Body) }));
    },
    async lastId(stream) {
      const entries = (await connection.command(['XREVRANGE', streamKey(stream), '+', '-', 'COUNT', 1])) as [string, string[]][];
      return entries[0]?.[0] ?? null;
    },
    async subscribe(stream, listener) {
      subscription ??= connection.subscribe(channel, onAnnouncement).catch((error: unknown) => {
        // Forget a failed attempt, so the next subscriber retries instead of inheriting the rejection forever.
        subscription = undefined;
        throw error;
      });
      await subscription;
      const set = listeners.get(stream) ?? new Set();
      set.add(listener);
      listeners.set(stream, set);
      return () => {
        set.delete(listener);
      };
    },
  };
}
