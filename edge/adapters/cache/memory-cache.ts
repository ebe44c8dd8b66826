/** In-process Cache: a Map with lazy expiry, for one process (the embedded default and tests). */
import type { Cache } from '../../ports/cache.ts';
import type { Clock } from '../../ports/clock.ts';

interface Entry {
  json: string;
  expiresAt: number | null;
}

export function createMemoryCache(clock: Clock, options: { maxEntries?: number } = {}): Cache {
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const store = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    // Evict the oldest insertions first, like a backend under memory pressure would.
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  };
  const expiry = (ttlSeconds?: number) => (ttlSeconds === undefined ? null : clock.now() + ttlSeconds * 1000);

  return {
    adapter: 'memory',
    async ping() {},
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? (JSON.parse(entry.json) as T) : null;
    },
    async set(key, value, options = {}) {
      store(key, { json: JSON.stringify(value), expiresAt: expiry(options.ttlSeconds) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, by = 1, options = {}) {
      const entry = live(key);
      const current = entry ? Number(JSON.parse(entry.json)) : 0;
      if (!Number.isFinite(current)) throw new TypeError(`cache key ${key} does not hold a number`);
      const next = current + by;
      store(key, { json: JSON.stringify(next), expiresAt: entry ? entry.expiresAt : expiry(options.ttlSeconds) });
      return next;
    },
  };
}
