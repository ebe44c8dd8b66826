/** The live Bus port contract (ports/bus.ts), run over every adapter. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_FLEETS, compareEventIds, type Bus, type LiveEvent, type Revocation } from '../../ports/bus.ts';
import { createManualClock, type ManualClock } from '../clock/manual-clock.ts';
import { createTestRedis, redisAvailable } from '../../../e2e/support/test-redis.ts';
import { createTestUpstash } from '../../../e2e/support/test-upstash.ts';
import { createMemoryBus } from './memory-bus.ts';
import { createRedisBus } from './redis-bus.ts';
import { publishRaw } from '../../../e2e/support/publish-raw.ts';

const redisUp = await redisAvailable();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => Promise.all(cleanups.map((c) => c())));

interface AdapterUnderTest {
  name: string;
  available?: boolean;
  create(clock: ManualClock, maxLength: number): Promise<Bus>;
  /** Two buses on one backend, as two instances of the app (not for the in-process adapter). */
  pair?(clock: ManualClock): Promise<[Bus, Bus]>;
}

const adapters: AdapterUnderTest[] = [
  { name: 'memory', create: async (clock, maxLength) => createMemoryBus(clock, { maxLength }) },
  {
    name: 'redis',
    available: redisUp,
    create: async (clock, maxLength) => {
      const redis = await createTestRedis();
      cleanups.push(redis.close);
      return createRedisBus(redis.connection, clock, { keyPrefix: redis.keyPrefix, maxLength });
    },
    pair: async (clock) => {
      const redis = await createTestRedis();
      cleanups.push(redis.close);
      const other = await createTestRedis();
      cleanups.push(other.close);
      return [createRedisBus(redis.connection, clock, { keyPrefix: redis.keyPrefix }), createRedisBus(other.connection, clock, { keyPrefix: redis.keyPrefix })];
    },
  },
  {
    name: 'upstash',
    available: redisUp,
    create: async (clock, maxLength) => {
      const upstash = await createTestUpstash();
      cleanups.push(upstash.close);
      return createRedisBus(upstash.connection, clock, { keyPrefix: upstash.keyPrefix, maxLength });
    },
    pair: async (clock) => {
      const upstash = await createTestUpstash();
      cleanups.push(upstash.close);
      return [createRedisBus(upstash.connection, clock, { keyPrefix: upstash.keyPrefix }), createRedisBus(upstash.connection, clock, { keyPrefix: upstash.keyPrefix })];
    },
  },
  {
    // As on Workers: each listener holds its own subscription.
    name: 'upstash, a subscription per listener',
    available: redisUp,
    create: async (clock, maxLength) => {
      const upstash = await createTestUpstash();
      cleanups.push(upstash.close);
      return createRedisBus(upstash.connection, clock, { keyPrefix: upstash.keyPrefix, maxLength, subscriptionPerListener: true, watchdogMs: 0 });
    },
    pair: async (clock) => {
      const upstash = await createTestUpstash();
      cleanups.push(upstash.close);
      const options = { keyPrefix: upstash.keyPrefix, subscriptionPerListener: true, watchdogMs: 0 };
      return [createRedisBus(upstash.connection, clock, options), createRedisBus(upstash.connection, clock, options)];
    },
  },
];

const waitFor = async (predicate: () => boolean) => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(predicate()).toBe(true);
};

for (const adapter of adapters) {
  describe.skipIf(adapter.available === false)(`Bus contract: ${adapter.name}`, () => {
    let bus: Bus;
    let clock: ManualClock;
    const fleet = () => `fleet-${crypto.randomUUID()}`;

    beforeEach(async () => {
      clock = createManualClock();
      bus = await adapter.create(clock, 5);
    });

    it('gives strictly increasing ids, also within one millisecond', async () => {
      const f = fleet();
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await publishRaw(bus, f, 'location_update', { i })).id);
      clock.advance(1);
      ids.push((await publishRaw(bus, f, 'location_update', { i: 4 })).id);
      for (let i = 1; i < ids.length; i++) expect(compareEventIds(ids[i], ids[i - 1])).toBe(1);
      expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    });

    it("replays a fleet's events after an id, oldest first, and the admins' stream sees every fleet", async () => {
      // Earlier events in the all-fleets stream (other tests share it) must not shift this test's ids.
      await publishRaw(bus, fleet(), 'warm_up', {});
      await publishRaw(bus, fleet(), 'warm_up', {});
      const a = fleet();
      const b = fleet();
      const first = await publishRaw(bus, a, 'new_alert', { n: 1 });
      await publishRaw(bus, b, 'new_alert', { n: 2 });
      const third = await publishRaw(bus, a, 'new_frame', { n: 3 });
      expect((await bus.replay(a, null)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);
      expect((await bus.replay(a, first.id)).map((e) => e.id)).toEqual([third.id]);
      expect((await bus.replay(b, null)).map((e) => e.fleetId)).toEqual([b]);
      // An event has one id in every stream, so an admin can resume the all-fleets feed from a fleet event's id.
      const all = await bus.replay(ALL_FLEETS, first.id);
      expect(all.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
      expect(all[1].id).toBe(third.id);
    });

    it('names the newest event of a stream, or none', async () => {
      const f = fleet();
      expect(await bus.lastId(f)).toBeNull();
      await publishRaw(bus, f, 'new_alert', { n: 1 });
      const second = await publishRaw(bus, f, 'new_alert', { n: 2 });
      await publishRaw(bus, fleet(), 'new_alert', { n: 3 });
      expect(await bus.lastId(f)).toBe(second.id);
      expect(compareEventIds((await bus.lastId(ALL_FLEETS))!, second.id)).toBe(1);
    });

    it('keeps only the newest maxLength events per stream', async () => {
      const f = fleet();
      for (let i = 0; i < 8; i++) await publishRaw(bus, f, 'location_update', { i });
      expect((await bus.replay(f, null)).map((e) => (e.data as { i: number }).i)).toEqual([3, 4, 5, 6, 7]);
    });

    it('delivers live events to subscribers in order until they unsubscribe', async () => {
      const f = fleet();
      const seen: LiveEvent[] = [];
      const seenAll: LiveEvent[] = [];
      const stop = await bus.subscribe(f, (e) => seen.push(e));
      const stopAll = await bus.subscribe(ALL_FLEETS, (e) => seenAll.push(e));
      await publishRaw(bus, f, 'a', 1);
      await publishRaw(bus, fleet(), 'b', 2);
      await publishRaw(bus, f, 'c', 3);
      await waitFor(() => seen.length === 2 && seenAll.length === 3);
      expect(seen.map((e) => e.type)).toEqual(['a', 'c']);
      stop();
      stopAll();
      await publishRaw(bus, f, 'd', 4);
      await new Promise((r) => setTimeout(r, 30));
      expect(seen).toHaveLength(2);
    });

    it('isolates a throwing subscriber from the others and from the publisher', async () => {
      const f = fleet();
      const seen: string[] = [];
      await bus.subscribe(f, () => {
        throw new Error('broken subscriber');
      });
      await bus.subscribe(f, (e) => seen.push(e.type));
      await expect(publishRaw(bus, f, 'ok', {})).resolves.toMatchObject({ type: 'ok', fleetId: f });
      await waitFor(() => seen.length === 1);
    });

    it('announces a revocation to every listener subscribed at that moment, in no stream, never to one that left', async () => {
      const heard: Revocation[] = [];
      const alsoHeard: Revocation[] = [];
      const stop = await bus.onRevocation((r) => heard.push(r));
      await bus.onRevocation(() => {
        throw new Error('broken listener');
      });
      await bus.onRevocation((r) => alsoHeard.push(r));
      const before = await bus.lastId(ALL_FLEETS);
      await bus.announceRevocation({ kind: 'session', id: 'family-1' });
      await waitFor(() => heard.length === 1 && alsoHeard.length === 1);
      expect(heard).toEqual([{ kind: 'session', id: 'family-1' }]);
      expect(await bus.lastId(ALL_FLEETS)).toBe(before);
      stop();
      await bus.announceRevocation({ kind: 'api_key', id: 'key-1' });
      await waitFor(() => alsoHeard.length === 2);
      expect(heard).toHaveLength(1);
    });

    // Only a backend that instances share has a second instance to hear it; the memory bus is one process by design.
    if (adapter.pair) it('announces a revocation to the listeners of every instance sharing the backend', async () => {
      const [one, two] = await adapter.pair!(clock);
      const heard: Revocation[] = [];
      await two.onRevocation((r) => heard.push(r));
      await one.announceRevocation({ kind: 'user', id: 'user-1' });
      await waitFor(() => heard.length === 1);
      expect(heard).toEqual([{ kind: 'user', id: 'user-1' }]);
    });

    it('stamps events with the publish time', async () => {
      clock.set('2026-05-01T12:00:00Z');
      const event = await publishRaw(bus, fleet(), 'vehicle_status', { status: 'moving' });
      expect(event.at).toBe('2026-05-01T12:00:00.000Z');
    });
  });
}
