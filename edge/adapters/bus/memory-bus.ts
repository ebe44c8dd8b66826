/**
 * In-process live bus: a bounded ring of recent events per stream plus in-process listeners.
 * One process only; Redis/Upstash adapters carry events across instances.
 */
import { ALL_FLEETS, compareEventIds, streamOf, type Bus, type LiveEvent, type Revocation } from '../../ports/bus.ts';
import type { Clock } from '../../ports/clock.ts';

export function createMemoryBus(clock: Clock, options: { maxLength?: number } = {}): Bus {
  const maxLength = options.maxLength ?? 1000;
  const logs = new Map<string, LiveEvent[]>();
  const listeners = new Map<string, Set<(event: LiveEvent) => void>>();
  const revocationListeners = new Set<(revocation: Revocation) => void>();
  let lastMs = 0;
  let seq = 0;

  const nextId = () => {
    const now = clock.now();
    if (now > lastMs) {
      lastMs = now;
      seq = 0;
    } else {
      seq += 1;
    }
    return `${lastMs}-${seq}`;
  };

  const append = (stream: string, event: LiveEvent) => {
    const log = logs.get(stream) ?? [];
    log.push(event);
    if (log.length > maxLength) log.splice(0, log.length - maxLength);
    logs.set(stream, log);
    for (const listener of listeners.get(stream) ?? []) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not stop delivery to the others or fail the publisher.
      }
    }
  };

  return {
    adapter: 'memory',
    async ping() {},
    async publish(fleetId, type, data) {
      const event: LiveEvent = { id: nextId(), type, fleetId, data, at: new Date(clock.now()).toISOString() };
      const stream = streamOf(fleetId);
      append(stream, event);
      if (stream !== ALL_FLEETS) append(ALL_FLEETS, event);
      return event;
    },
    async replay(stream, afterId, limit = maxLength) {
      const log = logs.get(stream) ?? [];
      const newer = afterId === null ? log : log.filter((e) => compareEventIds(e.id, afterId) > 0);
      return newer.slice(0, limit);
    },
    async lastId(stream) {
      return logs.get(stream)?.at(-1)?.id ?? null;
    },
    async subscribe(stream, listener) {
      const set = listeners.get(stream) ?? new Set();
      set.add(listener);
      listeners.set(stream, set);
      return () => {
        set.delete(listener);
      };
    },
    async announceRevocation(revocation) {
      for (const listener of [...revocationListeners]) {
        try {
          listener({ ...revocation });
        } catch {
          // as with events: one broken listener affects nobody else
        }
      }
    },
    async onRevocation(listener) {
      revocationListeners.add(listener);
      return () => {
        revocationListeners.delete(listener);
      };
    },
  };
}
