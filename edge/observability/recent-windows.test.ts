/** Rings over the last minute / five minutes: old slots drop out as the clock moves, estimates stay in their bucket. */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../adapters/clock/manual-clock.ts';
import { createLatencyWindow, createRateWindow, estimateQuantile } from './recent-windows.ts';

describe('rate window', () => {
  it('averages over the last 60 seconds and forgets older seconds', () => {
    const clock = createManualClock('2026-06-01T08:00:00Z');
    const rate = createRateWindow(clock, 60);
    rate.add(30);
    clock.advance(1000);
    rate.add(90);
    expect(rate.total()).toBe(120);
    expect(rate.perSecond()).toBe(2);
    clock.advance(59_000); // the first second has left the window, the second one is its oldest
    expect(rate.total()).toBe(90);
    clock.advance(1000);
    expect(rate.total()).toBe(0);
    rate.add(6); // the slot reused for a new second starts from zero
    expect(rate.total()).toBe(6);
  });
});

describe('latency window', () => {
  const bounds = [0.01, 0.1, 1];

  it('estimates quantiles inside the bucket that holds them', () => {
    // 50 in (0, 0.01], 40 in (0.01, 0.1], 10 in (0.1, 1].
    const counts = [50, 40, 10, 0];
    expect(estimateQuantile(bounds, counts, 0.5)).toBeCloseTo(0.01, 10);
    expect(estimateQuantile(bounds, counts, 0.7)).toBeCloseTo(0.01 + 0.09 * (20 / 40), 10);
    expect(estimateQuantile(bounds, counts, 0.95)).toBeCloseTo(0.1 + 0.9 * (5 / 10), 10);
    expect(estimateQuantile(bounds, [0, 0, 0, 3], 0.99)).toBe(1);
    expect(estimateQuantile(bounds, [0, 0, 0, 0], 0.5)).toBeNull();
  });

  it('covers the last five minutes only', () => {
    const clock = createManualClock('2026-06-01T08:00:00Z');
    const window = createLatencyWindow(clock, bounds, 5 * 60_000, 10_000);
    for (let i = 0; i < 9; i++) window.observe(0.005);
    window.observe(0.5);
    expect(window.quantiles([0.5, 0.99])).toEqual({ count: 10, values: [expect.closeTo(0.0055556, 6), expect.closeTo(0.91, 6)] });
    clock.advance(4 * 60_000);
    window.observe(0.05);
    expect(window.quantiles([0.5]).count).toBe(11);
    clock.advance(60_000); // the first observations are now five minutes old
    expect(window.quantiles([0.5])).toEqual({ count: 1, values: [expect.closeTo(0.055, 6)] });
  });
});
