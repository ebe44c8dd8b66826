/** Incidents by type and by severity against the previous 7-day average (bars with a tick), and by local hour. */
import { incidentLabel, severityLabel } from '../../incidents/incident-labels.ts';
import { localDayAndMinute } from '../../fleet-time.ts';
import { barChart, barChartHeight, columnChart } from '../pdf/charts.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';
import { average, previousDays } from './previous-days.ts';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

interface Count {
  key: string;
  today: number;
  average: number | null;
}

function counts(keys: string[], today: string[], before: string[], avg: (n: number) => number | null): Count[] {
  const tally = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const [t, b] = [tally(today), tally(before)];
  return keys.filter((k) => t.has(k) || b.has(k)).map((key) => ({ key, today: t.get(key) ?? 0, average: avg(b.get(key) ?? 0) }));
}

async function load(ctx: ReportContext) {
  const prev = await previousDays(ctx);
  const rows = await ctx.db
    .selectFrom('incidents')
    .select(['type', 'severity', 'occurred_at'])
    .where('fleet_id', '=', ctx.fleet.id)
    .where('status', '!=', 'false_positive')
    .where('occurred_at', '>=', prev.start)
    .where('occurred_at', '<', ctx.end)
    .execute();
  const today = rows.filter((r) => r.occurred_at >= ctx.start);
  const before = rows.filter((r) => r.occurred_at < ctx.start);
  const avg = (n: number) => average(n, prev);
  const types = [...new Set(rows.map((r) => r.type))].sort();
  const byType = counts(types, today.map((r) => r.type), before.map((r) => r.type), avg).sort((a, b) => b.today - a.today || (b.average ?? 0) - (a.average ?? 0));
  const bySeverity = counts(SEVERITIES, today.map((r) => r.severity), before.map((r) => r.severity), avg);
  const byHour = Array.from({ length: 24 }, () => 0);
  for (const r of today) byHour[Math.floor(localDayAndMinute(ctx.fleet.timezone, r.occurred_at.getTime()).minute / 60)]++;
  return { total: today.length, byType, bySeverity, byHour };
}

export const incidentsSection = dailySection({
  id: 'incidents',
  load,
  render(doc, data, { words: w }) {
    const legend = { value: w.t('today'), reference: w.t('average7') };
    const note = (c: Count) => `${w.number(c.today)}${c.average === null ? '' : ` (${w.change(c.today, c.average)})`}`;
    doc.heading(w.t('incidentsByType'));
    if (data.byType.length === 0) {
      doc.paragraph(w.t('noIncidents'), { muted: true });
      return;
    }
    const rows = (list: Count[], label: (key: string) => string) => list.map((c) => ({ label: label(c.key), value: c.today, reference: c.average ?? undefined, note: note(c) }));
    doc.drawing(barChartHeight(data.byType.length), barChart(rows(data.byType, (k) => incidentLabel(k, w.language)), legend));
    doc.subheading(w.t('incidentsBySeverity'));
    doc.drawing(barChartHeight(data.bySeverity.length), barChart(rows(data.bySeverity, (k) => severityLabel(k, w.language)), legend));
    if (data.total > 0) {
      doc.subheading(w.t('incidentsByHour'));
      doc.drawing(70, columnChart(data.byHour, data.byHour.map((_, h) => `${String(h).padStart(2, '0')}h`), { height: 70, labelEvery: 3 }));
    }
  },
});
