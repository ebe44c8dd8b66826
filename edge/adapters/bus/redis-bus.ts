/**
 * Live bus on Redis or Upstash: each event goes into the fleet's stream and the all-fleets stream (XADD, bounded
 * length) and is announced on one pub/sub channel, all in one Lua script so nothing is half-published.
 * Every process holds one subscription and fans out to its own listeners: no polling per SSE client.
 *
 * Pub/sub is fire-and-forget: a subscription that dies quietly (an Upstash SSE stream that ends or errors, a
 * dropped TCP connection while it reconnects) loses announcements, and the process's viewers would go silent with
 * no error anywhere. Each announcement names the event before it: a gap (announcements lost while the connection
 * came back) is filled from the stream before the new event is delivered. A watchdog compares the all-fleets
 * stream's head with the last event this process delivered; behind on two checks in a row means the subscription
 * is dead: it subscribes again and delivers what was missed from the stream. Either way in order, each event once.
 *
 * On Workers nothing outlives a request: a subscription opened inside one viewer's request dies with it, and timers
 * stop with it too. There each listener holds its own subscription, opened in its own request
 * (`subscriptionPerListener`); a viewer whose stream ends reconnects with Last-Event-ID and replays what it missed.
 *
 * Revocations (a logout, a revoked API key, a removed user) go out on their own pub/sub channel, kept in no stream:
 * one more subscription per process (on node-redis the same connection), opened when the first listener arrives.
 */
import { ALL_FLEETS, compareEventIds, isRevocation, streamOf, type Bus, type LiveEvent, type Revocation } from '../../ports/bus.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RedisConnection } from '../redis/redis-connection.ts';

// KEYS: fleet stream, all-fleets stream. ARGV: max length, event JSON (without id), channel, stream TTL in seconds.
// One id for both streams, so an id means the same event whichever feed it came from (the all-fleets stream receives
// every event, so its last id is never behind a fleet stream's). If a fleet stream is somehow ahead (keys restored
// or trimmed by hand), XADD with that id fails and the fleet stream falls back to its own next id.
// The announcement is "<id> <previous all-fleets id, or -> <json>": a subscriber whose last event is older than that
// previous id knows it missed announcements and reads them from the stream first.
const PUBLISH = `
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local prev = '-'
if last[1] then prev = last[1][1] end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[1], '*', 'e', ARGV[2])
if KEYS[1] ~= KEYS[2] then
  local ok = redis.pcall('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], id, 'e', ARGV[2])
  if type(ok) == 'table' and ok.err then id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[1], '*', 'e', ARGV[2]) end
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[3], id .. ' ' .. prev .. ' ' .. ARGV[2])
return id`;

type Body = Omit<LiveEvent, 'id'>;

const RECOVERY_TIMEOUT_MS = 10_000;

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface RedisBusOptions {
  keyPrefix?: string;
  maxLength?: number;
  /**
   * A stream with no event for this long is deleted, in seconds (default a day): replay serves reconnecting viewers,
   * who come back within minutes, and a fleet that stopped (or was deleted) leaves nothing behind for good.
   */
  streamTtlSeconds?: number;
  /** How often the watchdog checks the subscription, in ms (0: never). An announcement takes milliseconds. */
  watchdogMs?: number;
  /** One subscription per listener instead of one per process (Workers); no watchdog then. */
  subscriptionPerListener?: boolean;
}

export function createRedisBus(connection: RedisConnection, clock: Clock, options: RedisBusOptions = {}): Bus {
  const prefix = options.keyPrefix ?? 'tw:';
  const maxLength = options.maxLength ?? 1000;
  const streamTtlSeconds = options.streamTtlSeconds ?? 86_400;
  const watchdogMs = options.watchdogMs ?? 15_000;
  const channel = `${prefix}live`;
  const revocationChannel = `${prefix}revocations`;
  const revocationListeners = new Set<(revocation: Revocation) => void>();
  let revocationSubscription: Promise<unknown> | undefined;
  const parseRevocation = (message: string): Revocation | null => {
    try {
      const value: unknown = JSON.parse(message);
      return isRevocation(value) ? { kind: value.kind, id: value.id } : null;
    } catch {
      return null;
    }
  };
  const hearRevocation = (listener: (revocation: Revocation) => void, message: string) => {
    const revocation = parseRevocation(message);
    if (!revocation) return;
    try {
      listener(revocation);
    } catch {
      // A broken listener is its own problem.
    }
  };
  const streamKey = (stream: string) => `${prefix}stream:${stream}`;
  const listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  let subscription: Promise<() => Promise<void>> | undefined;
  // The newest event this process has delivered (ids increase in the all-fleets stream, which every event enters).
  let lastDelivered: string | null = null;
  // While missed events are being caught up, announcements wait here, so none overtakes the ones before it.
  let held: LiveEvent[] | null = null;
  let behindAt: string | null = null;
  let watchdog: ReturnType<typeof setInterval> | undefined;

  const deliver = (stream: string, event: LiveEvent) => {
    for (const listener of listeners.get(stream) ?? []) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not stop delivery to the others.
      }
    }
  };

  const isNew = (id: string) => lastDelivered === null || compareEventIds(id, lastDelivered) > 0;
  const receive = (event: LiveEvent) => {
    if (!isNew(event.id)) return; // caught up already
    lastDelivered = event.id;
    const stream = streamOf(event.fleetId);
    deliver(stream, event);
    if (stream !== ALL_FLEETS) deliver(ALL_FLEETS, event);
  };

  const parseAnnouncement = (message: string): { event: LiveEvent; prev: string | null } => {
    const first = message.indexOf(' ');
    const second = message.indexOf(' ', first + 1);
    const prev = message.slice(first + 1, second);
    return { event: { id: message.slice(0, first), ...(JSON.parse(message.slice(second + 1)) as Body) }, prev: prev === '-' ? null : prev };
  };
  const onAnnouncement = (message: string) => {
    const { event, prev } = parseAnnouncement(message);
    if (held) held.push(event);
    else if (prev !== null && isNew(prev)) {
      // The event before this one never reached us (a reconnection's gap): fetch the missed ones first.
      held = [event];
      void catchUp();
    } else receive(event);
  };

  const subscribeOwn = async (stream: string, listener: (event: LiveEvent) => void) => {
    const unsubscribe = await connection.subscribe(channel, (message) => {
      const { event } = parseAnnouncement(message);
      if (stream !== ALL_FLEETS && streamOf(event.fleetId) !== stream) return;
      try {
        listener(event);
      } catch {
        // As with the shared subscription: a broken listener is its own problem.
      }
    });
    return () => {
      void unsubscribe().catch(() => {});
    };
  };

  const lastId = async (stream: string) => {
    const entries = (await connection.command(['XREVRANGE', streamKey(stream), '+', '-', 'COUNT', 1])) as [string, string[]][];
    return entries[0]?.[0] ?? null;
  };
  const replay = async (stream: string, afterId: string | null, limit = maxLength) => {
    const start = afterId === null ? '-' : `(${afterId}`;
    const entries = (await connection.command(['XRANGE', streamKey(stream), start, '+', 'COUNT', limit])) as [string, string[]][];
    return entries.map(([id, fields]): LiveEvent => ({ id, ...(JSON.parse(fields[1]) as Body) }));
  };

  const connect = () => {
    subscription = connection.subscribe(channel, onAnnouncement).then(
      async (unsubscribe) => {
        // Live from here: what the stream already holds is history, for replay, not for these listeners.
        // (A reconnection keeps its mark: what was missed since is caught up from it.)
        if (lastDelivered === null) lastDelivered = await lastId(ALL_FLEETS).catch(() => null);
        return unsubscribe;
      },
      (error: unknown) => {
        // Forget a failed attempt, so the next subscriber retries instead of inheriting the rejection forever.
        subscription = undefined;
        throw error;
      },
    );
    return subscription;
  };

  /**
   * Delivers, in order, what the all-fleets stream holds after the last delivered event, holding announcements
   * meanwhile (each step bounded, so they are never held for long). `first` runs before the read (a resubscription).
   */
  const catchUp = async (first?: () => Promise<void>) => {
    held ??= [];
    try {
      await first?.();
      for (const event of await within(replay(ALL_FLEETS, lastDelivered), RECOVERY_TIMEOUT_MS)) receive(event);
    } catch {
      // The bus has no logger; the watchdog's next check tries again.
    } finally {
      const waiting = held ?? [];
      held = null;
      for (const event of waiting) receive(event);
    }
  };

  const recover = () => {
    const old = subscription;
    return catchUp(async () => {
      // Not awaited: on a dead connection, unsubscribing may wait for a reconnection that never comes.
      void old?.then((unsubscribe) => unsubscribe()).catch(() => {});
      const connecting = connect();
      await within(connecting, RECOVERY_TIMEOUT_MS).catch((error: unknown) => {
        if (subscription === connecting) subscription = undefined;
        throw error;
      });
    });
  };

  const check = async () => {
    if (![...listeners.values()].some((set) => set.size > 0) || held) return;
    if (!subscription) return recover(); // a reconnection that failed: try again
    const head = await lastId(ALL_FLEETS);
    const behind = head !== null && isNew(head);
    // Behind once is normal (an announcement in flight); still short of that head a whole period later is not.
    if (behind && behindAt !== null && isNew(behindAt)) {
      behindAt = null;
      await recover();
    } else {
      behindAt = behind ? head : null;
    }
  };

  const startWatchdog = () => {
    if (watchdog || watchdogMs <= 0) return;
    watchdog = setInterval(() => void check().catch(() => {}), watchdogMs);
    // Never the reason a process stays alive (Node and Deno; Workers timers have no unref).
    (watchdog as { unref?: () => void }).unref?.();
  };

  return {
    adapter: connection.name,
    perRequestSubscriptions: options.subscriptionPerListener === true,
    async ping() {
      await connection.command(['PING']);
    },
    async publish(fleetId, type, data) {
      const body: Body = { type, fleetId, data, at: new Date(clock.now()).toISOString() };
      const json = JSON.stringify(body);
      const stream = streamOf(fleetId);
      const id = (await connection.command(['EVAL', PUBLISH, 2, streamKey(stream), streamKey(ALL_FLEETS), maxLength, json, channel, streamTtlSeconds])) as string;
      return { id, ...body };
    },
    replay,
    lastId,
    async subscribe(stream, listener) {
      if (options.subscriptionPerListener) return subscribeOwn(stream, listener);
      await (subscription ?? connect());
      startWatchdog();
      const set = listeners.get(stream) ?? new Set();
      set.add(listener);
      listeners.set(stream, set);
      return () => {
        set.delete(listener);
      };
    },
    async announceRevocation(revocation) {
      await connection.command(['PUBLISH', revocationChannel, JSON.stringify({ kind: revocation.kind, id: revocation.id })]);
    },
    async onRevocation(listener) {
      if (options.subscriptionPerListener) {
        const unsubscribe = await connection.subscribe(revocationChannel, (message) => hearRevocation(listener, message));
        return () => {
          void unsubscribe().catch(() => {});
        };
      }
      revocationSubscription ??= connection
        .subscribe(revocationChannel, (message) => {
          for (const each of [...revocationListeners]) hearRevocation(each, message);
        })
        .catch((error: unknown) => {
          // Forget a failed attempt, so the next listener retries.
          revocationSubscription = undefined;
          throw error;
        });
      await revocationSubscription;
      revocationListeners.add(listener);
      return () => {
        revocationListeners.delete(listener);
      };
    },
  };
}
