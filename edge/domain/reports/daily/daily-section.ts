/**
 * The daily report is a list of sections, each loading its own data and drawing itself, so a section can be added
 * (scores, say) or left out without touching the others: `DAILY_SECTIONS` is the default list, in order.
 */
import type { ReportContext } from '../report-context.ts';
import type { ReportDocument } from '../pdf/report-document.ts';

export interface DailySection<T = unknown> {
  id: string;
  load(ctx: ReportContext): Promise<T>;
  render(doc: ReportDocument, data: T, ctx: ReportContext): void;
}

/** Keeps each section's data type checked against its own render. */
export const dailySection = <T>(section: DailySection<T>): DailySection<T> => section;
