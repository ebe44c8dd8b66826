/** What only a shared bus can do: an event published by one instance reaches another instance's subscribers. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ALL_FLEETS, type LiveEvent } from '../../ports/bus.ts';
import { createSystemClock } from '../clock/system-clock.ts';
import { createTestRedis, redisAvailable } from '../../../e2e/support/test-redis.ts';
import { createRedisBus } from './redis-bus.ts';

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

    const published = await busA.publish('fleet-1', 'new_alert', { severity: 'HIGH' });
    await vi.waitFor(() => {
      expect(fleetSeen).toHaveLength(1);
      expect(adminSeen).toHaveLength(1);
    });
    expect(fleetSeen[0]).toEqual(published);
    expect(adminSeen[0]).toMatchObject({ type: 'new_alert', fleetId: 'fleet-1' });
    expect(await busB.replay('fleet-1', null)).toEqual([published]);
    expect(await busB.replay(ALL_FLEETS, null)).toEqual([adminSeen[0]]);
  });
});
