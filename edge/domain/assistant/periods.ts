/**
 * Periods the assistant's tools take, as one short string both engines can write: `today`, `yesterday`,
 * `this_week`, `last_week` (weeks start on Monday), `this_month`, `last_month`, `this_year`, `last_7_days` (today
 * and the 6 days before), `last_24_hours` (rolling), a day `2026-11-03`, a range `2026-11-01..2026-11-15`, or `all`.
 * Days are the fleet's local days (its timezone), so "yesterday" in Madrid ends at Madrid's midnight.
 */
import { daysBetween, localDayAndMinute, localDaysRange, shiftDay } from '../fleet-time.ts';
import { isCalendarDate } from '../validation.ts';
import { formatDay, formatDayRange, formatNumber, type Lang } from './format.ts';

export const NAMED_PERIODS = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_year', 'all'] as const;
const MAX_DAYS = 3660;

export interface ResolvedPeriod {
  spec: string;
  /** First instant included; null for `all`. */
  start: Date | null;
  /** First instant after the period (exclusive); null for `all`. */
  end: Date | null;
  /** Local days spanned (YYYY-MM-DD), absent for rolling hours and `all`. */
  fromDay?: string;
  toDay?: string;
  hours?: number;
}

/** Whether `spec` is a period this grammar accepts (day ranges in order, at most ten years). */
export function isPeriodSpec(spec: string): boolean {
  if ((NAMED_PERIODS as readonly string[]).includes(spec)) return true;
  const rolling = spec.match(/^last_(\d{1,4})_(days|hours)$/);
  if (rolling) return Number(rolling[1]) >= 1 && Number(rolling[1]) <= (rolling[2] === 'days' ? MAX_DAYS : 24 * 31);
  const [from, to, extra] = spec.split('..');
  if (extra !== undefined || !isCalendarDate(from)) return false;
  return to === undefined || (isCalendarDate(to) && from <= to && daysBetween(from, to) <= MAX_DAYS);
}

export const PERIOD_HELP = 'today, yesterday, this_week, last_week, this_month, last_month, this_year, last_N_days, last_N_hours, YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD or all';

function days(spec: string, from: string, to: string, timeZone: string): ResolvedPeriod {
  const { start, end } = localDaysRange(from, to, timeZone);
  return { spec, start, end, fromDay: from, toDay: to };
}

/** The instants a period spans for a fleet at `now`. Throws on a spec isPeriodSpec refuses. */
export function resolvePeriod(spec: string, timeZone: string, now: number): ResolvedPeriod {
  if (!isPeriodSpec(spec)) throw new Error(`not a period: ${spec} (expected ${PERIOD_HELP})`);
  const today = localDayAndMinute(timeZone, now).day;
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const monday = shiftDay(today, -weekday);
  const firstOfMonth = `${today.slice(0, 8)}01`;
  switch (spec) {
    case 'all':
      return { spec, start: null, end: null };
    case 'today':
      return days(spec, today, today, timeZone);
    case 'yesterday':
      return days(spec, shiftDay(today, -1), shiftDay(today, -1), timeZone);
    case 'this_week':
      return days(spec, monday, today, timeZone);
    case 'last_week':
      return days(spec, shiftDay(monday, -7), shiftDay(monday, -1), timeZone);
    case 'this_month':
      return days(spec, firstOfMonth, today, timeZone);
    case 'last_month': {
      const lastOfPrevious = shiftDay(firstOfMonth, -1);
      return days(spec, `${lastOfPrevious.slice(0, 8)}01`, lastOfPrevious, timeZone);
    }
    case 'this_year':
      return days(spec, `${today.slice(0, 4)}-01-01`, today, timeZone);
  }
  const rolling = spec.match(/^last_(\d+)_(days|hours)$/);
  if (rolling) {
    const n = Number(rolling[1]);
    if (rolling[2] === 'hours') return { spec, start: new Date(now - n * 3_600_000), end: new Date(now + 1), hours: n };
    return days(spec, shiftDay(today, -(n - 1)), today, timeZone);
  }
  const [from, to] = spec.split('..');
  return days(spec, from, to ?? from, timeZone);
}

const NAMED_WORDS: Record<Lang, Record<string, string>> = {
  es: { today: 'hoy', yesterday: 'ayer', this_week: 'esta semana', last_week: 'la semana pasada', this_month: 'este mes', last_month: 'el mes pasado', this_year: 'este año', all: 'desde el principio' },
  en: { today: 'today', yesterday: 'yesterday', this_week: 'this week', last_week: 'last week', this_month: 'this month', last_month: 'last month', this_year: 'this year', all: 'since the start' },
};

/** The period in words: "ayer (jueves 19 de noviembre)", "esta semana (del 16 al 20 de noviembre)", "1–15 November". */
export function describePeriod(period: ResolvedPeriod, lang: Lang): string {
  if (period.hours !== undefined) return lang === 'es' ? `en las últimas ${formatNumber(period.hours, lang)} horas` : `in the last ${formatNumber(period.hours, lang)} hours`;
  if (!period.fromDay || !period.toDay) return NAMED_WORDS[lang].all;
  const named = NAMED_WORDS[lang][period.spec];
  const single = period.fromDay === period.toDay;
  const dates = single ? formatDay(period.fromDay, lang, { weekday: true }) : formatDayRange(period.fromDay, period.toDay, lang);
  if (named) return `${named} (${dates})`;
  const rolling = period.spec.match(/^last_(\d+)_days$/);
  if (rolling) return lang === 'es' ? `en los últimos ${rolling[1]} días (${dates})` : `in the last ${rolling[1]} days (${dates})`;
  if (single) return lang === 'es' ? `el ${dates}` : `on ${dates}`;
  return dates;
}

/** The period's local days for links into the app's lists (`from`/`to` as YYYY-MM-DD), when it has whole days. */
export function periodQuery(period: ResolvedPeriod): Record<string, string> {
  return period.fromDay && period.toDay ? { from: period.fromDay, to: period.toDay } : {};
}
