/**
 * Score periods on the fleet's own calendar: a day is a local day, a week runs Monday to Sunday, a month is the
 * calendar month. Periods are named by their first local day (YYYY-MM-DD), so keys sort and compare as strings.
 */
import { daysBetween, shiftDay } from '../fleet-time.ts';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface PeriodSpan {
  /** First local day, which is also the period's key. */
  first_day: string;
  last_day: string;
}

/** The period of `kind` holding local day `day`. */
export function periodOf(kind: Period, day: string): PeriodSpan {
  if (kind === 'day') return { first_day: day, last_day: day };
  if (kind === 'week') {
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    const first = shiftDay(day, -weekday);
    return { first_day: first, last_day: shiftDay(first, 6) };
  }
  const first = `${day.slice(0, 7)}-01`;
  const next = new Date(`${first}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { first_day: first, last_day: shiftDay(next.toISOString().slice(0, 10), -1) };
}

/** The period just before `span`. */
export const previousPeriod = (kind: Period, span: PeriodSpan): PeriodSpan =>
  periodOf(kind, shiftDay(span.first_day, -1));

/** Every period of `kind` touching the local days from `from` to `to`, oldest first. */
export function periodsBetween(kind: Period, from: string, to: string): PeriodSpan[] {
  const out: PeriodSpan[] = [];
  for (let span = periodOf(kind, from); span.first_day <= to; span = periodOf(kind, shiftDay(span.last_day, 1)))
    out.push(span);
  return out;
}

/** How far back a series goes when the caller gives no `from`: two weeks of days, twelve weeks, six months. */
export function defaultFrom(kind: Period, to: string): string {
  if (kind === 'day') return shiftDay(to, -13);
  if (kind === 'week') return periodOf('week', shiftDay(to, -7 * 11)).first_day;
  const d = new Date(`${to.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 5);
  return d.toISOString().slice(0, 10);
}

/** The longest series one request may ask for (in local days), so a typo in a year cannot scan a decade. */
export const MAX_SERIES_DAYS = 400;
export const seriesDays = (from: string, to: string) => daysBetween(from, to);
