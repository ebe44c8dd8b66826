/** The live hub: one bus subscription per stream shared by its viewers, torn down with the last one. */
import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../adapters/bus/memory-bus.ts';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import type { Bus } from '../ports/bus.ts';
import type { SerializedEvent } from './live-fan-out.ts';
import { joinStream, type StreamViewer } from './live-hub.ts';

/** A memory bus that counts its open subscriptions, and can be told to refuse the next one. */
function countingBus(options: { perRequestSubscriptions?: boolean } = {}) {
  const bus = { ...createMemoryBus(createManualClock()), ...options };
  const counts = { open: 0, subscribes: 0, refuseNext: false };
  const counted: Bus = {
    ...bus,
    async subscribe(stream, listener) {
      counts.subscribes++;
      if (counts.refuseNext) {
        counts.refuseNext = false;
        throw new Error('bus unavailable');
      }
      const unsubscribe = await bus.subscribe(stream, listener);
      counts.open++;
      return () => {
        counts.open--;
        unsubscribe();
      };
    },
  };
  return { bus: counted, counts };
}

/** A location update of `vehicleId` in `fleetId`. */
const move = (bus: Bus, fleetId: string, vehicleId: string) => bus.publish(fleetId, 'location_update', { vehicle_id: vehicleId, latitude: 48.1, longitude: 11.5, speed_kmh: 30, heading: null, device_time: '2026-06-01T08:00:00.000Z' });

const recorder = (accept: (e: SerializedEvent) => boolean = () => true) => {
  const seen: string[] = [];
  const viewer: StreamViewer = {
    offer: (event) => {
      if (!accept(event)) return false;
      seen.push(event.id);
      return true;
    },
  };
  return { viewer, seen };
};

describe('joinStream', () => {
  it('shares one subscription per stream, serialises each event once, and counts what the viewers took', async () => {
    const { bus, counts } = countingBus();
    const delivered: number[] = [];
    const onDelivered = (n: number) => delivered.push(n);
    const a = recorder();
    const b = recorder((e) => e.vehicleId === 'v2');
    const other = recorder();
    // Three viewers join at once: still one subscription for fleet f1.
    const [leaveA, leaveB, leaveOther] = await Promise.all([joinStream(bus, 'f1', a.viewer, { onDelivered }), joinStream(bus, 'f1', b.viewer, { onDelivered }), joinStream(bus, 'f2', other.viewer, { onDelivered })]);
    expect(counts.subscribes).toBe(2);

    const first = await move(bus, 'f1', 'v1');
    const second = await move(bus, 'f1', 'v2');
    expect(a.seen).toEqual([first.id, second.id]);
    expect(b.seen).toEqual([second.id]);
    expect(other.seen).toEqual([]);
    expect(delivered).toEqual([1, 2]);

    leaveA();
    leaveA(); // twice: no effect
    expect(counts.open).toBe(2);
    leaveB();
    expect(counts.open).toBe(1); // the last viewer of f1 left: its subscription went with it
    await move(bus, 'f1', 'v2');
    expect(b.seen).toHaveLength(1);

    // A viewer that joins afterwards gets a new subscription and the events from then on.
    const c = recorder();
    const leaveC = await joinStream(bus, 'f1', c.viewer);
    const third = await move(bus, 'f1', 'v3');
    expect(c.seen).toEqual([third.id]);
    leaveC();
    leaveOther();
    expect(counts.open).toBe(0);
  });

  it('keeps delivering when one viewer throws, and does not keep a failed subscription', async () => {
    const { bus, counts } = countingBus();
    counts.refuseNext = true;
    await expect(joinStream(bus, 'f1', recorder().viewer)).rejects.toThrow('bus unavailable');

    const good = recorder();
    const leaveBroken = await joinStream(bus, 'f1', { offer: () => { throw new Error('broken viewer'); } });
    const leaveGood = await joinStream(bus, 'f1', good.viewer);
    const event = await move(bus, 'f1', 'v1');
    expect(good.seen).toEqual([event.id]);
    leaveBroken();
    leaveGood();
    expect(counts.open).toBe(0);
  });

  it('does not tear a group down under a viewer that is still joining', async () => {
    const { bus, counts } = countingBus();
    const first = recorder();
    const second = recorder();
    const leaveFirst = await joinStream(bus, 'f1', first.viewer);
    const joiningSecond = joinStream(bus, 'f1', second.viewer); // resumes a microtask later
    leaveFirst(); // the group is empty now, but the second viewer is still joining
    const leaveSecond = await joiningSecond;
    expect(counts.open).toBe(1);
    const event = await move(bus, 'f1', 'v1');
    expect(second.seen).toEqual([event.id]);
    leaveSecond();
    expect(counts.open).toBe(0);
  });

  it('shares nothing where subscriptions belong to the request that opened them (Workers)', async () => {
    const { bus, counts } = countingBus({ perRequestSubscriptions: true });
    const delivered: number[] = [];
    const a = recorder();
    const b = recorder();
    const leaveA = await joinStream(bus, 'f1', a.viewer, { onDelivered: (n) => delivered.push(n) });
    const leaveB = await joinStream(bus, 'f1', b.viewer, { onDelivered: (n) => delivered.push(n) });
    expect(counts.open).toBe(2); // one each, opened in each viewer's own request
    const event = await move(bus, 'f1', 'v1');
    expect([a.seen, b.seen]).toEqual([[event.id], [event.id]]);
    expect(delivered).toEqual([1, 1]);
    leaveA();
    expect(counts.open).toBe(1);
    leaveB();
    expect(counts.open).toBe(0);
  });
});
