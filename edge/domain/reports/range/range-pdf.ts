/** The on-demand report as a PDF: the period and filters, its figures, then a table per section. */
import { incidentLabel, severityLabel } from '../../incidents/incident-labels.ts';
import { createReportDocument, type ReportDocument } from '../pdf/report-document.ts';
import type { ReportContext } from '../report-context.ts';
import { MAX_ROWS, type IncidentRow, type RangeData } from './range-data.ts';

export interface RangeFilters {
  vehicle: string | null;
  driver: string | null;
}

function incidentTable(doc: ReportDocument, rows: IncidentRow[], ctx: ReportContext) {
  const w = ctx.words;
  doc.table(
    [{ title: w.t('taxi'), width: 1.7 }, { title: w.t('driver'), width: 2.2 }, { title: w.t('start'), width: 2.6 }, { title: w.t('duration'), width: 1.5, align: 'right' }, { title: w.t('description'), width: 4 }],
    rows.map((i) => [i.plate, i.driver ?? w.t('unassigned'), w.dateTime(i.start), w.duration((i.end.getTime() - i.start.getTime()) / 1000), `${incidentLabel(i.type, w.language)} (${severityLabel(i.severity, w.language)}). ${i.description}`]),
    { empty: w.t('none') },
  );
}

export async function renderRangePdf(ctx: ReportContext, data: RangeData, filters: RangeFilters): Promise<{ bytes: Uint8Array; pages: number }> {
  const w = ctx.words;
  const period = ctx.from === ctx.to ? w.date(ctx.from) : `${w.date(ctx.from)} – ${w.date(ctx.to)}`;
  const doc = await createReportDocument({
    title: `${w.t('rangeTitle')} · ${ctx.fleet.name}`,
    subtitle: period,
    footer: `${ctx.fleet.name} · ${ctx.from} – ${ctx.to} · ${w.t('generated', { at: w.dateTime(ctx.now) })}`,
    language: w.language,
    createdAt: ctx.now,
  });
  doc.paragraph(w.t('filters', { taxi: filters.vehicle ?? w.t('all'), driver: filters.driver ?? w.t('all') }), { muted: true });
  const incidents = data.speeding.length + data.idling.length + data.incidents.length;
  doc.figures([
    { label: w.t('kilometres'), value: w.number(data.trips.reduce((s, t) => s + t.km, 0), 1) },
    { label: w.t('hoursDriven'), value: w.number(data.trips.reduce((s, t) => s + t.seconds, 0) / 3600, 1) },
    { label: w.t('trips'), value: w.number(data.trips.length) },
    { label: w.t('incidents'), value: w.number(incidents) },
  ]);
  const truncated = (name: string) => data.truncated.includes(name) && doc.paragraph(w.t('truncated', { count: MAX_ROWS }), { muted: true, size: 8 });

  doc.heading(w.t('driverSummary'));
  doc.table(
    [{ title: w.t('driver'), width: 3.4 }, { title: w.t('trips'), width: 1.3, align: 'right' }, { title: w.t('km'), width: 1.5, align: 'right' }, { title: w.t('hoursDriven'), width: 1.8, align: 'right' }, { title: w.t('incidents'), width: 1.6, align: 'right' }, { title: w.t('per100km'), width: 1.8, align: 'right' }],
    data.drivers.map((d) => [d.name, w.number(d.trips), w.number(d.km, 1), w.number(d.seconds / 3600, 1), w.number(d.incidents), w.number(d.per100km, 2)]),
    { empty: w.t('none') },
  );
  doc.heading(w.t('tripsSection'));
  truncated('trips');
  doc.table(
    [{ title: w.t('taxi'), width: 1.7 }, { title: w.t('driver'), width: 2.4 }, { title: w.t('start'), width: 2.6 }, { title: w.t('end'), width: 1.2 }, { title: w.t('km'), width: 1.2, align: 'right' }, { title: w.t('duration'), width: 1.5, align: 'right' }, { title: w.t('maxSpeed'), width: 1.4, align: 'right' }],
    data.trips.map((t) => [t.plate, t.driver ?? w.t('unassigned'), w.dateTime(t.start), t.end ? w.time(t.end) : '…', w.number(t.km, 1), w.duration(t.seconds), w.number(t.maxSpeedKmh)]),
    { empty: w.t('none') },
  );
  doc.heading(w.t('stops'));
  truncated('stops');
  doc.table(
    [{ title: w.t('taxi'), width: 1.7 }, { title: w.t('start'), width: 2.6 }, { title: w.t('end'), width: 1.2 }, { title: w.t('duration'), width: 1.5, align: 'right' }, { title: w.t('where'), width: 3 }],
    data.stops.map((s) => [s.plate, w.dateTime(s.start), w.time(s.end), w.duration((s.end.getTime() - s.start.getTime()) / 1000), s.latitude === null ? '—' : `${s.latitude.toFixed(5)}, ${s.longitude!.toFixed(5)}`]),
    { empty: w.t('none') },
  );
  for (const [name, rows] of [['speeding', data.speeding], ['idling', data.idling], ['otherIncidents', data.incidents]] as const) {
    doc.heading(w.t(name));
    truncated(name === 'otherIncidents' ? 'incidents' : name);
    incidentTable(doc, rows, ctx);
  }
  return doc.finish();
}
