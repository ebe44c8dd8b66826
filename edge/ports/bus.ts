/**
 * Live bus port: the event log behind the SSE feed (location_update, new_frame, new_alert, …).
 *
 * Contract (adapters/bus/bus.contract.ts):
 * - `publish(fleetId, …)` appends one event to that fleet's stream and to the all-fleets stream (admins' feed)
 *   and returns it with its id. Ids have the form "<ms>-<seq>" and strictly increase within a stream
 *   (compare with `compareEventIds`, not as strings). An event has the same id in its fleet stream and in the
 *   all-fleets stream, so a client can resume either feed from any id it has seen.
 * - Each stream keeps a bounded window of the latest events (the adapter's `maxLength`); older ones are dropped.
 * - `replay(stream, afterId)` returns, oldest first, the retained events with id > afterId (all retained when null).
 * - `lastId(stream)` is the id of the stream's newest event, null when it has none: where a new reader starts.
 * - `subscribe(stream, listener)` delivers every event published after it returns, in order, until unsubscribed.
 *   A throwing listener does not affect other listeners or the publisher.
 * - `announceRevocation(r)` reaches every `onRevocation` listener subscribed at that moment, on every instance that
 *   shares the backend, within milliseconds; it is in no stream and never replayed. Pub/sub can lose a message while
 *   a connection is re-established, so a listener also re-checks the credential now and then (the live feed does
 *   at each heartbeat).
 */
import type { LiveEventPayloads, LiveEventType } from '../domain/live-events.ts';
import type { HealthCheckable } from './health.ts';

/** Stream name of the all-fleets feed that admins watch. */
export const ALL_FLEETS = '*';

export interface LiveEvent {
  id: string;
  type: string;
  fleetId: string | null;
  data: unknown;
  /** ISO-8601 time the event was published. */
  at: string;
}

export type Unsubscribe = () => void;

/**
 * A credential that stopped being valid: a session (logout, refresh-token reuse), an API key, or a user (removed),
 * which covers every session of that user. Open live streams that use it end when they hear of it.
 */
export interface Revocation {
  kind: 'session' | 'api_key' | 'user';
  id: string;
}

export function isRevocation(value: unknown): value is Revocation {
  const r = value as Revocation | null;
  return typeof r === 'object' && r !== null && (r.kind === 'session' || r.kind === 'api_key' || r.kind === 'user') && typeof r.id === 'string';
}

export interface Bus extends HealthCheckable {
  /** Typed by the live-event contract (domain/live-events.ts): a name it lacks or a payload of the wrong shape does not compile. */
  publish<T extends LiveEventType>(fleetId: string | null, type: T, data: LiveEventPayloads[T]): Promise<LiveEvent>;
  replay(stream: string, afterId: string | null, limit?: number): Promise<LiveEvent[]>;
  lastId(stream: string): Promise<string | null>;
  subscribe(stream: string, listener: (event: LiveEvent) => void): Promise<Unsubscribe>;
  /**
   * true where a subscription lives and dies with the request that opened it (Workers): it must not carry events to
   * listeners of other requests, so every listener subscribes for itself.
   */
  readonly perRequestSubscriptions?: boolean;
  announceRevocation(revocation: Revocation): Promise<void>;
  onRevocation(listener: (revocation: Revocation) => void): Promise<Unsubscribe>;
}

export function streamOf(fleetId: string | null): string {
  return fleetId ?? ALL_FLEETS;
}

/** Orders "<ms>-<seq>" ids; a malformed id sorts before every valid one. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = parseEventId(a);
  const [bm, bs] = parseEventId(b);
  return am !== bm ? Math.sign(am - bm) : Math.sign(as - bs);
}

export function isEventId(value: string): boolean {
  return /^\d{1,16}-\d{1,16}$/.test(value);
}

function parseEventId(id: string): [number, number] {
  if (!isEventId(id)) return [-1, -1];
  const [ms, seq] = id.split('-');
  return [Number(ms), Number(seq)];
}
