import { describe, expect, it } from 'vitest';
import { startOfDayIn } from './zoned-day.ts';

describe('startOfDayIn', () => {
  it('finds local midnight in the fleet timezone', () => {
    expect(startOfDayIn('Europe/Madrid', Date.parse('2026-06-01T08:00:00Z')).toISOString()).toBe('2026-05-31T22:00:00.000Z');
    expect(startOfDayIn('Europe/Madrid', Date.parse('2026-06-01T23:30:00Z')).toISOString()).toBe('2026-06-01T22:00:00.000Z');
    expect(startOfDayIn('America/Lima', Date.parse('2026-06-01T03:00:00Z')).toISOString()).toBe('2026-05-31T05:00:00.000Z');
    expect(startOfDayIn('UTC', Date.parse('2026-06-01T08:00:00Z')).toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });

  it('handles a day on which the clocks change', () => {
    // Madrid moves to summer time at 01:00 UTC on 2026-03-29: midnight that day is still +1 h.
    expect(startOfDayIn('Europe/Madrid', Date.parse('2026-03-29T12:00:00Z')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });
});
