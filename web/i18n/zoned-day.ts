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
