/** Periods in the fleet's own calendar: weeks from Monday, months across a DST change, rolling days and hours. */
import { describe, expect, it } from 'vitest';
import { describePeriod, isPeriodSpec, resolvePeriod } from './periods.ts';

const NOW = Date.parse('2026-11-20T10:30:00Z'); // Friday, 11:30 in Madrid
const days = (spec: string, tz = 'Europe/Madrid') => {
  const p = resolvePeriod(spec, tz, NOW);
  return [p.fromDay, p.toDay, p.start?.toISOString(), p.end?.toISOString()];
};

describe('periods', () => {
  it('resolves named periods to local days and instants', () => {
    expect(days('today')).toEqual(['2026-11-20', '2026-11-20', '2026-11-19T23:00:00.000Z', '2026-11-20T23:00:00.000Z']);
    expect(days('yesterday').slice(0, 2)).toEqual(['2026-11-19', '2026-11-19']);
    expect(days('this_week').slice(0, 2)).toEqual(['2026-11-16', '2026-11-20']);
    expect(days('last_week').slice(0, 2)).toEqual(['2026-11-09', '2026-11-15']);
    expect(days('this_month').slice(0, 2)).toEqual(['2026-11-01', '2026-11-20']);
    expect(days('this_year').slice(0, 2)).toEqual(['2026-01-01', '2026-11-20']);
    expect(days('last_7_days').slice(0, 2)).toEqual(['2026-11-14', '2026-11-20']);
  });

  it('gives last month its 25-hour day (DST ends on 25 October in Madrid)', () => {
    const [, , start, end] = days('last_month');
    expect(start).toBe('2026-09-30T22:00:00.000Z');
    expect(end).toBe('2026-10-31T23:00:00.000Z');
    expect((Date.parse(end!) - Date.parse(start!)) / 3_600_000).toBe(31 * 24 + 1);
  });

  it('uses the fleet timezone: the same instant is another day in Chicago', () => {
    expect(days('today', 'America/Chicago').slice(0, 2)).toEqual(['2026-11-20', '2026-11-20']);
    expect(resolvePeriod('today', 'America/Chicago', Date.parse('2026-11-20T03:00:00Z')).fromDay).toBe('2026-11-19');
  });

  it('takes days, ranges, rolling hours and all, and refuses anything else', () => {
    expect(days('2026-11-03').slice(0, 2)).toEqual(['2026-11-03', '2026-11-03']);
    expect(days('2026-11-01..2026-11-15').slice(0, 2)).toEqual(['2026-11-01', '2026-11-15']);
    const hours = resolvePeriod('last_24_hours', 'Europe/Madrid', NOW);
    expect(hours.start?.toISOString()).toBe('2026-11-19T10:30:00.000Z');
    expect(resolvePeriod('all', 'UTC', NOW)).toMatchObject({ start: null, end: null });
    for (const bad of ['tomorrow', '2026-02-30', '2026-11-15..2026-11-01', 'last_0_days', '2026-11-01..', "'; drop table incidents; --"]) expect(isPeriodSpec(bad), bad).toBe(false);
    expect(() => resolvePeriod('next_week', 'UTC', NOW)).toThrow(/not a period/);
  });

  it('says a period in words, in Spanish and English', () => {
    const p = (spec: string) => resolvePeriod(spec, 'Europe/Madrid', NOW);
    expect(describePeriod(p('yesterday'), 'es')).toBe('ayer (jueves 19 de noviembre)');
    expect(describePeriod(p('yesterday'), 'en')).toBe('yesterday (Thursday 19 November)');
    expect(describePeriod(p('2026-11-01..2026-11-15'), 'es')).toBe('del 1 al 15 de noviembre');
    expect(describePeriod(p('2026-10-28..2026-11-03'), 'en')).toBe('28 October – 3 November');
    expect(describePeriod(p('last_7_days'), 'en')).toBe('in the last 7 days (14–20 November)');
    expect(describePeriod(p('last_24_hours'), 'es')).toBe('en las últimas 24 horas');
    expect(describePeriod(p('2026-11-03'), 'es')).toBe('el martes 3 de noviembre');
  });
});
