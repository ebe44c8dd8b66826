import { describe, expect, it } from 'vitest';
import { createEventLoopLoad } from './event-loop-load.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('event loop load', () => {
  it('reads near 1 over a window the loop spent running code', async () => {
    const load = createEventLoopLoad(300);
    load.utilization();
    spin(330); // the window's timer cannot fire while this runs, so it closes just after, over busy time only
    await pause(20);
    expect(load.utilization()).toBeGreaterThan(0.7);
  });

  it('reads near 0 over a window the loop spent waiting', async () => {
    const load = createEventLoopLoad(100);
    load.utilization();
    await pause(250);
    expect(load.utilization()).toBeLessThan(0.3);
  });

  it('gives the same figure to every reader within a window', async () => {
    const load = createEventLoopLoad(100);
    load.utilization();
    await pause(150);
    const first = load.utilization();
    spin(20);
    expect(load.utilization()).toBe(first);
  });

  it('says nothing where the runtime has no measure of it (Deno, Workers)', () => {
    const eventLoopUtilization = (performance as unknown as { eventLoopUtilization?: unknown }).eventLoopUtilization;
    try {
      Object.defineProperty(performance, 'eventLoopUtilization', { value: undefined, configurable: true, writable: true });
      expect(createEventLoopLoad().utilization()).toBeNull();
    } finally {
      Object.defineProperty(performance, 'eventLoopUtilization', { value: eventLoopUtilization, configurable: true, writable: true });
    }
  });

  it('reads the time since its first reading until the first window closes', () => {
    const load = createEventLoopLoad(60_000);
    load.utilization();
    spin(50);
    expect(load.utilization()).toBeGreaterThan(0.5);
  });
});
