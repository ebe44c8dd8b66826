/** The daily report as a PDF: the title page header, then each section in order (DAILY_SECTIONS unless told otherwise). */
import { createReportDocument } from '../pdf/report-document.ts';
import type { ReportContext } from '../report-context.ts';
import type { DailySection } from './daily-section.ts';
import { driversSection } from './drivers-section.ts';
import { expiringSection } from './expiring-section.ts';
import { incidentsSection } from './incidents-section.ts';
import { mapSection } from './map-section.ts';
import { offlineSection } from './offline-section.ts';
import { scoresSection } from './scores-section.ts';
import { summarySection } from './summary-section.ts';
import { visionSection } from './vision-section.ts';

export const DAILY_SECTIONS: DailySection<any>[] = [
  summarySection,
  incidentsSection,
  mapSection,
  driversSection,
  scoresSection,
  expiringSection,
  offlineSection,
  visionSection,
];

export async function renderDailyReport(
  ctx: ReportContext,
  sections: DailySection<any>[] = DAILY_SECTIONS,
): Promise<{ bytes: Uint8Array; pages: number }> {
  const w = ctx.words;
  // Sections load in parallel: each reads its own data.
  const data = await Promise.all(sections.map((s) => s.load(ctx)));
  const doc = await createReportDocument({
    title: `${w.t('dailyTitle')} · ${ctx.fleet.name}`,
    subtitle: w.date(ctx.from),
    footer: `${ctx.fleet.name} · ${ctx.from} · ${w.t('generated', { at: w.dateTime(ctx.now) })}`,
    language: w.language,
    createdAt: ctx.now,
  });
  sections.forEach((section, i) => section.render(doc, data[i], ctx));
  return doc.finish();
}
