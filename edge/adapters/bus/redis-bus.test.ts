/** What only a shared bus can do: an event published by one instance reaches another instance's subscribers. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ALL_FLEETS, type LiveEvent } from '../../ports/bus.ts';
import { createSystemClock } from '../clock/system-clock.ts';
import { createTestRedis, redisAvailable } from '../../../e2e/support/test-redis.ts';
import type { RedisConnection } from '../redis/redis-connection.ts';
import { createRedisBus } from './redis-bus.ts';
import { publishRaw } from '../../../e2e/support/publish-raw.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => Promise.all(cleanups.map((c) => c())));

describe.skipIf(!(await redisAvailable()))('Redis bus across instances', () => {
  it('delivers an event published on instance A to subscribers on instance B, with replayable ids', async () => {
    const a = await createTestRedis();
    const b = await createTestRedis();
    cleanups.push(a.close, b.close);
    const clock = createSystemClock();
    // Two processes share one Redis and one key prefix; each has its own connections.
    const busA = createRedisBus(a.connection, clock, { keyPrefix: a.keyPrefix });
    const busB = createRedisBus(b.connection, clock, { keyPrefix: a.keyPrefix });
    const fleetSeen: LiveEvent[] = [];
    const adminSeen: LiveEvent[] = [];
    await busB.subscribe('fleet-1', (e) => fleetSeen.push(e));
    await busB.subscribe(ALL_FLEETS, (e) => adminSeen.push(e));

    const published = await publishRaw(busA, 'fleet-1', 'new_alert', { severity: 'HIGH' });
    await vi.waitFor(() => {
      expect(fleetSeen).toHaveLength(1);
      expect(adminSeen).toHaveLength(1);
    });
    expect(fleetSeen[0]).toEqual(published);
    expect(adminSeen[0]).toMatchObject({ type: 'new_alert', fleetId: 'fleet-1' });
    expect(await busB.replay('fleet-1', null)).toEqual([published]);
    expect(await busB.replay(ALL_FLEETS, null)).toEqual([adminSeen[0]]);
  });

  it('gives both streams an expiry, renewed by every event, so an idle fleet leaves no key behind', async () => {
    const redis = await createTestRedis();
    cleanups.push(redis.close);
    const bus = createRedisBus(redis.connection, createSystemClock(), { keyPrefix: redis.keyPrefix, streamTtlSeconds: 600 });
    await publishRaw(bus, 'fleet-ttl', 'vehicle_status', { status: 'online' });
    for (const stream of ['fleet-ttl', ALL_FLEETS]) {
      const ttl = Number(await redis.connection.command(['TTL', `${redis.keyPrefix}stream:${stream}`]));
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
    }
    await redis.connection.command(['EXPIRE', `${redis.keyPrefix}stream:fleet-ttl`, 5]);
    await publishRaw(bus, 'fleet-ttl', 'vehicle_status', { status: 'offline' });
    expect(Number(await redis.connection.command(['TTL', `${redis.keyPrefix}stream:fleet-ttl`]))).toBeGreaterThan(590);
  });

  /**
   * A connection whose first subscription goes deaf when told to, as a dead Upstash stream does (no error, no events),
   * or drops a few announcements and goes on, as a connection does while it comes back.
   */
  const breakable = (connection: RedisConnection) => {
    let subscriptions = 0;
    let deaf = false;
    let drop = 0;
    const wrapped: RedisConnection = {
      name: connection.name,
      command: (args) => connection.command(args),
      subscribe: (channel, onMessage) => {
        const generation = ++subscriptions;
        return connection.subscribe(channel, (message) => {
          if (drop > 0) return void drop--;
          if (!(deaf && generation === 1)) onMessage(message);
        });
      },
    };
    return { connection: wrapped, breakIt: () => (deaf = true), dropNext: (n: number) => (drop = n), subscriptions: () => subscriptions };
  };

  it('fills a gap of lost announcements from the stream before delivering the next event, without resubscribing', async () => {
    const a = await createTestRedis();
    cleanups.push(a.close);
    const clock = createSystemClock();
    const lossy = breakable(a.connection);
    const bus = createRedisBus(lossy.connection, clock, { keyPrefix: a.keyPrefix, watchdogMs: 0 });
    const seen: string[] = [];
    await bus.subscribe(ALL_FLEETS, (e) => seen.push(e.id));
    const first = await publishRaw(bus, 'fleet-1', 'new_alert', { n: 1 });
    await vi.waitFor(() => expect(seen).toEqual([first.id]));
    lossy.dropNext(2);
    const lost = [await publishRaw(bus, 'fleet-1', 'new_alert', { n: 2 }), await publishRaw(bus, 'fleet-2', 'new_alert', { n: 3 })];
    const next = await publishRaw(bus, 'fleet-1', 'new_alert', { n: 4 });
    await vi.waitFor(() => expect(seen).toHaveLength(4));
    expect(seen).toEqual([first, ...lost, next].map((e) => e.id));
    expect(lossy.subscriptions()).toBe(1);
  });

  it('notices a subscription that went quiet, subscribes again and delivers what it missed, in order, once', async () => {
    const a = await createTestRedis();
    const b = await createTestRedis();
    cleanups.push(a.close, b.close);
    const clock = createSystemClock();
    const publisher = createRedisBus(a.connection, clock, { keyPrefix: a.keyPrefix, watchdogMs: 0 });
    const flaky = breakable(b.connection);
    const viewer = createRedisBus(flaky.connection, clock, { keyPrefix: a.keyPrefix, watchdogMs: 40 });
    const fleetSeen: string[] = [];
    const adminSeen: string[] = [];
    await viewer.subscribe('fleet-1', (e) => fleetSeen.push(e.id));
    await viewer.subscribe(ALL_FLEETS, (e) => adminSeen.push(e.id));

    const first = await publishRaw(publisher, 'fleet-1', 'new_alert', { n: 1 });
    await vi.waitFor(() => expect(fleetSeen).toEqual([first.id]));
    flaky.breakIt();
    const missed = [await publishRaw(publisher, 'fleet-1', 'new_alert', { n: 2 }), await publishRaw(publisher, 'fleet-2', 'new_alert', { n: 3 }), await publishRaw(publisher, 'fleet-1', 'vehicle_status', { n: 4 })];
    await vi.waitFor(() => expect(adminSeen).toHaveLength(4), { timeout: 3000 });
    expect(flaky.subscriptions()).toBe(2);
    const after = await publishRaw(publisher, 'fleet-1', 'new_alert', { n: 5 });
    await vi.waitFor(() => expect(adminSeen).toHaveLength(5));
    await new Promise((r) => setTimeout(r, 200)); // a few more watchdog periods: nothing arrives twice
    expect(adminSeen).toEqual([first, ...missed, after].map((e) => e.id));
    expect(fleetSeen).toEqual([first, missed[0], missed[2], after].map((e) => e.id));
    expect(flaky.subscriptions()).toBe(2);
  });

  it('leaves a healthy subscription alone while events keep coming', async () => {
    const a = await createTestRedis();
    cleanups.push(a.close);
    const clock = createSystemClock();
    const counted = breakable(a.connection);
    const bus = createRedisBus(counted.connection, clock, { keyPrefix: a.keyPrefix, watchdogMs: 20 });
    const seen: string[] = [];
    await bus.subscribe(ALL_FLEETS, (e) => seen.push(e.id));
    const published: string[] = [];
    for (let i = 0; i < 30; i++) {
      published.push((await publishRaw(bus, 'fleet-1', 'location_update', { i })).id);
      await new Promise((r) => setTimeout(r, 5));
    }
    await vi.waitFor(() => expect(seen).toEqual(published));
    expect(counted.subscriptions()).toBe(1);
  });
});
