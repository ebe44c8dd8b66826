/**
 * Cache port: a shared key/value store for hot data (latest positions, device-key lookups, rate limits).
 *
 * Contract (adapters/cache/cache.contract.ts):
 * - Values are JSON: what `set` stores, `get` returns structurally equal. A miss or an expired key returns null.
 * - TTLs are in seconds; a key without TTL lives until deleted (or evicted by the backend under memory pressure).
 * - `increment` is atomic across concurrent callers and returns the new value; a missing key starts at 0.
 *   Its TTL applies only when the increment creates the key (fixed-window counters).
 * - `delete` of a missing key is not an error.
 */
import type { HealthCheckable } from './health.ts';

export interface Cache extends HealthCheckable {
  get<T = unknown>(key: string): Promise<T | null>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  increment(key: string, by?: number, options?: { ttlSeconds?: number }): Promise<number>;
}
