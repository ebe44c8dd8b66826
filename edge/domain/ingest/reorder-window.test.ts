import { describe, expect, it } from 'vitest';
import { createReorderWindow, startsAfterGap } from './reorder-window.ts';

const T = Date.parse('2026-06-01T08:00:00Z');
const everySecond = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i * 1000);

describe('startsAfterGap', () => {
  it('sees a batch of 1-s fixes that starts 11 s after the last stored fix (the batch before it is missing)', () => {
    expect(startsAfterGap(T, everySecond(T + 11_000, 10))).toBe(true);
    // In any order, as devices may send them.
    expect(startsAfterGap(T, everySecond(T + 11_000, 10).reverse())).toBe(true);
  });

  it('does not see a batch that continues the series, or one with no stored fix before it', () => {
    expect(startsAfterGap(T, everySecond(T + 1000, 10))).toBe(false);
    expect(startsAfterGap(null, everySecond(T + 11_000, 10))).toBe(false);
  });

  it('does not see a unit that reports rarely, a single fix, or a gap short of two seconds', () => {
    // Fixes 20 s apart: a 21-s gap is that unit's rhythm, not a missing batch.
    expect(startsAfterGap(T, [T + 21_000, T + 41_000, T + 61_000])).toBe(false);
    expect(startsAfterGap(T, [T + 11_000])).toBe(false);
    expect(startsAfterGap(T, everySecond(T + 1900, 10).map((t, i) => T + 1900 + i * 200))).toBe(false);
  });

  it('does not see an outage longer than the stored fix it is judged by can be old (30 s)', () => {
    expect(startsAfterGap(T, everySecond(T + 31_000, 10))).toBe(false);
  });
});

describe('createReorderWindow', () => {
  it('lets a waiting batch go on as soon as an earlier batch of its vehicle takes its place', async () => {
    const window = createReorderWindow(10_000);
    const started = Date.now();
    const waiting = window.waitForEarlier('v1', T + 11_000);
    expect(window.size()).toBe(1);
    window.joined('v2', T + 1000); // another vehicle: no effect
    window.joined('v1', T + 20_000); // a later batch of the same vehicle: no effect
    expect(window.size()).toBe(1);
    window.joined('v1', T + 1000);
    expect(await waiting).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(window.size()).toBe(0);
  });

  it('lets it go on alone when nothing earlier comes within the window', async () => {
    const window = createReorderWindow(30);
    expect(await window.waitForEarlier('v1', T + 11_000)).toBe(false);
    expect(window.size()).toBe(0);
    window.joined('v1', T); // nobody waits any more: nothing to do
  });

  it('wakes every waiter the earlier batch precedes, and only those', async () => {
    const window = createReorderWindow(50);
    const later = window.waitForEarlier('v1', T + 21_000);
    const earlier = window.waitForEarlier('v1', T + 11_000);
    window.joined('v1', T + 15_000);
    expect(await later).toBe(true);
    expect(await earlier).toBe(false);
  });
});
