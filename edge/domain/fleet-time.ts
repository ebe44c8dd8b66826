/**
 * A fleet's own calendar: what day and time it is in the fleet's timezone, and which instants a local day spans.
 * Days are 'YYYY-MM-DD'; a local day is 23 or 25 hours long on a DST change, so it is never "86,400 s from midnight".
 */

// Building a DateTimeFormat costs far more than using one (the leaderboard asks for hundreds of local days), and a
// formatter holds no state: one per zone, kept. An unknown zone throws on construction and is never kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `at`, in ms (Madrid in summer: +2 h). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const parts = formatterOf(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The local day and the minutes since local midnight at `now` in `timeZone`. */
export function localDayAndMinute(timeZone: string, now: number): { day: string; minute: number } {
  const local = new Date(now + zoneOffsetMs(timeZone, now));
  return { day: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The day `days` after (or before, when negative) a YYYY-MM-DD day. */
export const shiftDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The first instant of a local day: local midnight, or the first minute after it where a DST jump skips midnight. */
export function startOfLocalDay(day: string, timeZone: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`);
  let at = wall - zoneOffsetMs(timeZone, wall);
  // The offset at local midnight can differ from the one at UTC midnight: correct once (twice covers every zone).
  for (let i = 0; i < 2; i++) at = wall - zoneOffsetMs(timeZone, at);
  return at;
}

/** [start, end) of the local days from `from` to `to` (inclusive), as instants. */
export function localDaysRange(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return {
    start: new Date(startOfLocalDay(from, timeZone)),
    end: new Date(startOfLocalDay(shiftDay(to, 1), timeZone)),
  };
}

/** Days from `from` to `to` inclusive (`to` before `from`: none). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
