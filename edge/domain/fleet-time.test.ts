/** Local days across DST changes and odd offsets. */
import { describe, expect, it } from 'vitest';
import { daysBetween, localDayAndMinute, localDaysRange, shiftDay, startOfLocalDay } from './fleet-time.ts';

const hours = (r: { start: Date; end: Date }) => (r.end.getTime() - r.start.getTime()) / 3_600_000;

describe('fleet time', () => {
  it('gives the local day and minute in any offset', () => {
    expect(localDayAndMinute('Europe/Madrid', Date.parse('2026-06-01T04:00:00Z'))).toEqual({ day: '2026-06-01', minute: 6 * 60 });
    expect(localDayAndMinute('Asia/Kolkata', Date.parse('2026-06-01T00:30:00Z'))).toEqual({ day: '2026-06-01', minute: 6 * 60 });
    expect(localDayAndMinute('America/Lima', Date.parse('2026-06-01T03:00:00Z'))).toEqual({ day: '2026-05-31', minute: 22 * 60 });
  });

  it('makes a spring-forward day 23 hours long and a fall-back day 25', () => {
    expect(hours(localDaysRange('2026-03-29', '2026-03-29', 'Europe/Madrid'))).toBe(23);
    expect(hours(localDaysRange('2026-10-25', '2026-10-25', 'Europe/Madrid'))).toBe(25);
    expect(hours(localDaysRange('2026-03-08', '2026-03-08', 'America/New_York'))).toBe(23);
    expect(localDaysRange('2026-10-25', '2026-10-25', 'Europe/Madrid').start.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(hours(localDaysRange('2026-06-01', '2026-06-07', 'UTC'))).toBe(7 * 24);
  });

  it('starts a day whose midnight a DST jump skips at the first minute after it', () => {
    // Santiago de Chile moved its clocks from 24:00 to 01:00 on 2026-09-06.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(localDayAndMinute('America/Santiago', start)).toEqual({ day: '2026-09-06', minute: 60 });
  });

  it('counts and shifts days', () => {
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-06-01', '2026-06-07')).toBe(7);
    expect(daysBetween('2026-06-02', '2026-06-01')).toBe(0);
  });
});
