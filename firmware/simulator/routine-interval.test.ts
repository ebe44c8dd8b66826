import { describe, expect, it } from 'vitest';
import { ADVICE_HOLD_MS, createRoutineInterval } from './routine-interval.ts';

describe('routine frame interval', () => {
  const t0 = Date.parse('2026-06-01T08:00:00Z');

  it('stretches to the advised interval, never shortens it, and returns when the advice goes', () => {
    const interval = createRoutineInterval(10);
    expect(interval.seconds(t0)).toBe(10);
    interval.note({ frame_id: 'f', routine_frame_interval_s: 60 }, t0);
    expect(interval.seconds(t0 + 1000)).toBe(60);
    interval.note({ stored: 10, duplicates: 0 }, t0 + 2000); // a later answer without the field: all is well again
    expect(interval.seconds(t0 + 3000)).toBe(10);
    interval.note({ routine_frame_interval_s: 5 }, t0 + 4000);
    expect(interval.seconds(t0 + 5000)).toBe(10);
  });

  it('forgets advice it has not heard again for five minutes, and ignores nonsense', () => {
    const interval = createRoutineInterval(10);
    interval.note({ routine_frame_interval_s: 60 }, t0);
    expect(interval.seconds(t0 + ADVICE_HOLD_MS - 1)).toBe(60);
    expect(interval.seconds(t0 + ADVICE_HOLD_MS)).toBe(10);
    interval.note({ routine_frame_interval_s: 'slow' }, t0);
    interval.note({ routine_frame_interval_s: -1 }, t0);
    expect(interval.seconds(t0)).toBe(10);
    interval.note({ routine_frame_interval_s: 1e9 }, t0);
    expect(interval.seconds(t0)).toBe(3600);
  });
});
