/** Midnight of "today" in a timezone, as an instant: what "today's trips" means for a fleet in Madrid or Lima. */

/** Offset of `timeZone` from UTC at `at`, in ms (Madrid in summer: +2 h). */
function offsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

export function startOfDayIn(timeZone: string, now: number): Date {
  const local = now + offsetMs(timeZone, now);
  const midnightLocal = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  // The offset at midnight can differ from now's (a DST change during the day): correct once with it.
  return new Date(midnightLocal - offsetMs(timeZone, midnightLocal - offsetMs(timeZone, now)));
}

/** A calendar day ("2026-06-01") in a timezone as the instants it spans, [start, next day's start); null if not a day. */
export function dayRangeIn(timeZone: string, day: string): [Date, Date] | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T12:00:00Z`))) return null;
  // Noon UTC falls on the same calendar day in every timezone from UTC−12 to UTC+11.
  const noon = Date.parse(`${day}T12:00:00Z`);
  return [startOfDayIn(timeZone, noon), startOfDayIn(timeZone, noon + 86_400_000)];
}
