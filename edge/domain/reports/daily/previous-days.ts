/** The seven local days before a report's day, for "against the 7-day average" (fewer when the fleet is younger). */
import { daysBetween, localDaysRange, shiftDay } from '../../fleet-time.ts';
import type { ReportContext } from '../report-context.ts';

export interface PreviousDays {
  start: Date;
  end: Date;
  /** Days of those seven the fleet existed on; 0 means no average. */
  days: number;
}

export async function previousDays(ctx: ReportContext): Promise<PreviousDays> {
  const from = shiftDay(ctx.from, -7);
  const { start, end } = localDaysRange(from, shiftDay(ctx.from, -1), ctx.fleet.timezone);
  const fleet = await ctx.db.selectFrom('fleets').select('created_at').where('id', '=', ctx.fleet.id).executeTakeFirstOrThrow();
  const createdDay = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.fleet.timezone }).format(fleet.created_at);
  const firstDay = createdDay > from ? createdDay : from;
  return { start, end, days: Math.max(0, Math.min(7, daysBetween(firstDay, shiftDay(ctx.from, -1)))) };
}

export const average = (total: number, prev: PreviousDays): number | null => (prev.days === 0 ? null : total / prev.days);
