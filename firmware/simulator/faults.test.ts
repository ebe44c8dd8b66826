import { describe, expect, it } from 'vitest';
import { retryDelayMs, seededRandom } from './faults.ts';

describe('faults', () => {
  it('draws the same numbers from the same seed, and other numbers from another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('waits what Retry-After says, else backs off from 1 s doubling up to a minute', () => {
    expect(retryDelayMs(1, 7)).toBe(7000);
    expect(retryDelayMs(3, 0)).toBe(0);
    expect([1, 2, 3, 4, 7, 20].map((attempt) => retryDelayMs(attempt, null))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });
});
