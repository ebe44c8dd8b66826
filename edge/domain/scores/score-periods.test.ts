import { describe, expect, it } from 'vitest';
import { defaultFrom, periodOf, periodsBetween, previousPeriod } from './score-periods.ts';

describe('score periods', () => {
  it('weeks run Monday to Sunday, months are calendar months', () => {
    expect(periodOf('week', '2026-06-03')).toEqual({ first_day: '2026-06-01', last_day: '2026-06-07' });
    expect(periodOf('week', '2026-06-07')).toEqual({ first_day: '2026-06-01', last_day: '2026-06-07' });
    expect(periodOf('month', '2024-02-10')).toEqual({ first_day: '2024-02-01', last_day: '2024-02-29' });
    expect(previousPeriod('week', periodOf('week', '2026-06-03'))).toEqual({
      first_day: '2026-05-25',
      last_day: '2026-05-31',
    });
    expect(previousPeriod('month', periodOf('month', '2026-03-31'))).toEqual({
      first_day: '2026-02-01',
      last_day: '2026-02-28',
    });
  });

  it('lists the periods touching a range and defaults to a sensible history', () => {
    expect(periodsBetween('week', '2026-06-03', '2026-06-09').map((p) => p.first_day)).toEqual([
      '2026-06-01',
      '2026-06-08',
    ]);
    expect(periodsBetween('day', '2026-06-01', '2026-06-03')).toHaveLength(3);
    expect(defaultFrom('day', '2026-06-14')).toBe('2026-06-01');
    expect(defaultFrom('month', '2026-06-14')).toBe('2026-01-01');
    expect(periodsBetween('week', defaultFrom('week', '2026-06-14'), '2026-06-14')).toHaveLength(12);
  });
});
