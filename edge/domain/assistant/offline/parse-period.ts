/**
 * The period a question names, in the tools' grammar (periods.ts): "ayer", "la semana pasada", "del 1 al 15 de
 * noviembre", "between Nov 10 and Nov 12", "last 7 days", "desde el lunes", "el viernes pasado", "05/11/2026".
 * Reads normalized words (no accents); a date without a year is the latest one not after today.
 */
import { shiftDay } from '../../fleet-time.ts';
import { isCalendarDate } from '../../validation.ts';
import { numberOf } from '../language/normalize.ts';
import type { Lang } from '../format.ts';

const MONTHS: Record<string, number> = {};
[
  ['enero', 'january', 'jan', 'ene'], ['febrero', 'february', 'feb'], ['marzo', 'march', 'mar'], ['abril', 'april', 'apr', 'abr'], ['mayo', 'may'],
  ['junio', 'june', 'jun'], ['julio', 'july', 'jul'], ['agosto', 'august', 'aug', 'ago'], ['septiembre', 'setiembre', 'september', 'sep', 'sept'],
  ['octubre', 'october', 'oct'], ['noviembre', 'november', 'nov'], ['diciembre', 'december', 'dec', 'dic'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

const WEEKDAYS: Record<string, number> = {};
[['lunes', 'monday'], ['martes', 'tuesday'], ['miercoles', 'wednesday'], ['jueves', 'thursday'], ['viernes', 'friday'], ['sabado', 'saturday'], ['domingo', 'sunday']].forEach((names, i) =>
  names.forEach((n) => (WEEKDAYS[n] = i)),
);

const RANGE_CONNECTORS = new Set(['al', 'a', 'hasta', 'to', 'until', 'till', 'through', 'thru', 'y', 'and', '-', '–']);
const FILLERS = new Set(['el', 'the', 'of', 'de', 'del', 'on', 'dia', 'day', 'los', 'las', 'in', 'en']);
const SINCE = new Set(['desde', 'since', 'after', 'despues']);
// "from 10 November onwards", "del 10 de noviembre en adelante": the date opens a range up to today.
const ONWARDS = /\b(onwards?|on ?wards|en adelante|hasta hoy|till today|until today|up to today|to date|hasta ahora|until now|so far)\b|\ba partir de(l)?\b/;

type Token = { kind: 'day'; n: number } | { kind: 'month'; n: number } | { kind: 'year'; n: number } | { kind: 'conn' } | { kind: 'since' } | { kind: 'date'; day: string } | { kind: 'other' };

const pad = (n: number) => String(n).padStart(2, '0');

function dayNumber(word: string): number | undefined {
  const m = word.match(/^(\d{1,2})(st|nd|rd|th|º|o)?$/);
  const n = m ? Number(m[1]) : undefined;
  return n !== undefined && n >= 1 && n <= 31 ? n : undefined;
}

/** A complete date written with digits: 2026-11-05, 05/11/2026 (es: day first), 11/05/2026 (en: month first unless the first is > 12). */
function digitDate(word: string, lang: Lang, today: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(word)) return isCalendarDate(word) ? word : undefined;
  const m = word.match(/^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$/);
  if (!m) return undefined;
  let [a, b] = [Number(m[1]), Number(m[2])];
  const dayFirst = lang === 'es' || a > 12;
  const [d, mo] = dayFirst ? [a, b] : [b, a];
  const year = m[3] ? (m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])) : undefined;
  return withYear(d, mo, year, today);
}

/** YYYY-MM-DD for a day and month, in `year` or else the latest year that does not put it after today. */
function withYear(d: number, month: number, year: number | undefined, today: string): string | undefined {
  const y = year ?? Number(today.slice(0, 4));
  const date = `${y}-${pad(month)}-${pad(d)}`;
  if (!isCalendarDate(date)) return undefined;
  return year === undefined && date > today ? `${y - 1}-${pad(month)}-${pad(d)}` : date;
}

function tokenize(words: string[], lang: Lang, today: string): Token[] {
  const tokens: Token[] = [];
  for (const word of words) {
    const date = digitDate(word, lang, today);
    if (date) tokens.push({ kind: 'date', day: date });
    else if (/^\d{1,2}-\d{1,2}$/.test(word)) {
      const [a, b] = word.split('-').map(Number);
      tokens.push({ kind: 'day', n: a }, { kind: 'conn' }, { kind: 'day', n: b });
    } else if (dayNumber(word) !== undefined) tokens.push({ kind: 'day', n: dayNumber(word)! });
    else if (/^(19|20)\d{2}$/.test(word)) tokens.push({ kind: 'year', n: Number(word) });
    else if (MONTHS[word.replace(/\.$/, '')] !== undefined) tokens.push({ kind: 'month', n: MONTHS[word.replace(/\.$/, '')] });
    else if (RANGE_CONNECTORS.has(word)) tokens.push({ kind: 'conn' });
    else if (SINCE.has(word)) tokens.push({ kind: 'since' });
    else if (!FILLERS.has(word)) tokens.push({ kind: 'other' });
  }
  return tokens;
}

/** Day-month dates and ranges written with month names: "del 1 al 15 de noviembre", "Nov 10 to Nov 12", "3 November". */
function namedDates(words: string[], lang: Lang, today: string): string | undefined {
  const t = tokenize(words, lang, today);
  type Mention = { day?: number; month?: number; year?: number; date?: string; at: number; end: number };
  const mentions: Mention[] = [];
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    const b = t[i + 1];
    const c = t[i + 2];
    if (a.kind === 'date') mentions.push({ date: a.day, at: i, end: i });
    else if (a.kind === 'day' && b?.kind === 'month') {
      const year = c?.kind === 'year' ? c.n : undefined;
      mentions.push({ day: a.n, month: b.n, year, at: i, end: year ? i + 2 : i + 1 });
      i += year ? 2 : 1;
    } else if (a.kind === 'month' && b?.kind === 'day') {
      const year = c?.kind === 'year' ? c.n : undefined;
      mentions.push({ day: b.n, month: a.n, year, at: i, end: year ? i + 2 : i + 1 });
      i += year ? 2 : 1;
    } else if (a.kind === 'day') mentions.push({ day: a.n, at: i, end: i });
  }
  // Two mentions joined by a connector make a range; a bare day borrows its month from the other end.
  for (let k = 0; k + 1 < mentions.length; k++) {
    const [x, y] = [mentions[k], mentions[k + 1]];
    if (!(y.at === x.end + 2 && t[x.end + 1].kind === 'conn')) continue;
    const month = y.month ?? x.month;
    const year = y.year ?? x.year;
    const from = x.date ?? (x.day && (x.month ?? month) ? withYear(x.day, (x.month ?? month)!, x.year ?? year, today) : undefined);
    const to = y.date ?? (y.day && (y.month ?? month) ? withYear(y.day, (y.month ?? month)!, y.year ?? year, today) : undefined);
    if (!from || !to) continue;
    // "del 28 de diciembre al 3 de enero" asked in January: the start is in the year before.
    const start = from > to ? `${Number(from.slice(0, 4)) - 1}${from.slice(4)}` : from;
    return `${start}..${to}`;
  }
  const single = mentions.find((m) => m.date || (m.day && m.month));
  if (!single) return undefined;
  const date = single.date ?? withYear(single.day!, single.month!, single.year, today);
  if (!date) return undefined;
  const since = (single.at > 0 && t[single.at - 1].kind === 'since') || ONWARDS.test(words.join(' '));
  return since && date < today ? `${date}..${today}` : date;
}

/** A month named on its own: "en octubre", "in September 2026" → that whole month (the latest not after today). */
function wholeMonth(words: string[], today: string): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const month = MONTHS[words[i]];
    if (month === undefined || words[i].length < 4) continue;
    const year = /^(19|20)\d{2}$/.test(words[i + 1] ?? '') ? Number(words[i + 1]) : undefined;
    const first = withYear(1, month, year, today);
    if (!first) continue;
    const next = month === 12 ? `${Number(first.slice(0, 4)) + 1}-01-01` : `${first.slice(0, 4)}-${pad(month + 1)}-01`;
    const last = shiftDay(next, -1);
    return `${first}..${last < today ? last : today}`;
  }
  return undefined;
}

/** "el lunes", "last Friday", "desde el lunes" / "since Monday". */
function weekdayPeriod(words: string[], today: string): string | undefined {
  const todayIndex = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  for (let i = 0; i < words.length; i++) {
    const wd = WEEKDAYS[words[i]];
    if (wd === undefined) continue;
    const previous = ['last', 'previous', 'past'].includes(words[i - 1] ?? '') || ['pasado', 'anterior'].includes(words[i + 1] ?? '');
    let back = (todayIndex - wd + 7) % 7;
    if (back === 0 && previous) back = 7;
    const day = shiftDay(today, -back);
    const since = SINCE.has(words[i - 1] ?? '') || SINCE.has(words[i - 2] ?? '');
    return since && day < today ? `${day}..${today}` : day;
  }
  return undefined;
}

const LAST = new Set(['last', 'past', 'previous', 'ultimos', 'ultimas', 'pasados', 'pasadas', 'anteriores']);
const UNIT_DAYS: Record<string, number> = { dias: 1, dia: 1, days: 1, day: 1, semanas: 7, semana: 7, weeks: 7, week: 7 };
const UNIT_HOURS = new Set(['horas', 'hora', 'hours', 'hour', 'hrs', 'h']);

/** "los últimos 7 días", "last seven days", "past 2 weeks", "últimas 24 horas", "the last week" (7 days). */
function rollingPeriod(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    if (!LAST.has(words[i])) continue;
    // "últimos 7 días" / "last 7 days" / "7 últimos días"; "last week" alone is the calendar week (below), but "the last week" / "la última semana" is 7 days.
    const n = numberOf(words[i + 1]);
    const unit = n !== undefined ? words[i + 2] : words[i + 1];
    const count = n ?? 1;
    if (unit && UNIT_HOURS.has(unit)) return `last_${count}_hours`;
    if (unit && UNIT_DAYS[unit] && n !== undefined) return `last_${count * UNIT_DAYS[unit]}_days`;
    if (unit === 'fortnight' || unit === 'quincena') return 'last_14_days';
  }
  for (let i = 0; i < words.length; i++) {
    const n = numberOf(words[i]);
    if (n !== undefined && LAST.has(words[i + 1] ?? '') && UNIT_DAYS[words[i + 2] ?? '']) return `last_${n * UNIT_DAYS[words[i + 2]]}_days`;
  }
  return undefined;
}

const PHRASES: Array<[RegExp, string]> = [
  [/\b(anteayer|antier|antes de ayer|day before yesterday)\b/, 'day_before_yesterday'],
  [/\b(the last week|la ultima semana|the past week)\b/, 'last_7_days'],
  [/\b(semana pasada|semana anterior|last week|previous week|past week)\b/, 'last_week'],
  [/\b(esta semana|this week|en la semana|de la semana|so far this week|week to date)\b/, 'this_week'],
  [/\b(mes pasado|mes anterior|last month|previous month|past month)\b/, 'last_month'],
  [/\b(este mes|this month|va de mes|del mes|principios de mes|month to date|so far this month)\b/, 'this_month'],
  [/\b(este año|this year|va de año|year to date|so far this year)\b/, 'this_year'],
  [/\b(ayer|yesterday)\b/, 'yesterday'],
  [/\b(hoy|today|esta manana|this morning|tonight|esta tarde|this afternoon|so far today)\b/, 'today'],
  [/\b(desde siempre|en total|de siempre|all time|ever|since the start|historic[oa]?)\b/, 'all'],
];

/** The period spec a question names, or undefined when it names none. */
export function parsePeriod(text: string, words: string[], lang: Lang, today: string): string | undefined {
  const rolling = rollingPeriod(words);
  if (rolling) return rolling;
  const named = namedDates(words, lang, today);
  if (named) return named;
  const weekday = weekdayPeriod(words, today);
  if (weekday) return weekday;
  for (const [pattern, spec] of PHRASES) {
    if (!pattern.test(text)) continue;
    return spec === 'day_before_yesterday' ? shiftDay(today, -2) : spec;
  }
  return wholeMonth(words, today);
}
