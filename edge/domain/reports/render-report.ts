/** Turns a report's row into its file: the daily PDF, or an on-demand PDF, CSV or Excel workbook. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ReportsTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { renderDailyReport } from './daily/daily-report.ts';
import { loadRangeData } from './range/range-data.ts';
import { rangeCsv } from './range/range-csv.ts';
import { renderRangePdf } from './range/range-pdf.ts';
import { rangeXlsx } from './range/range-xlsx.ts';
import { reportContext } from './report-context.ts';

export type ReportRow = Selectable<ReportsTable>;

export interface RenderedReport {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
  pages: number | null;
}

export const CONTENT_TYPES = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

export function reportFileName(report: Pick<ReportRow, 'kind' | 'from_day' | 'to_day' | 'format'>): string {
  const days = report.from_day === report.to_day ? report.from_day : `${report.from_day}_${report.to_day}`;
  return `taxiwatch-${report.kind === 'daily' ? 'daily' : 'report'}-${days}.${report.format}`;
}

export async function renderReport(db: Kysely<Database>, report: ReportRow, now: number): Promise<RenderedReport> {
  const fleet = await db.selectFrom('fleets').select(['id', 'name', 'timezone', 'telemetry', 'speed_limit_kmh']).where('id', '=', report.fleet_id).executeTakeFirst();
  if (!fleet) throw new AppError('not_found', `fleet ${report.fleet_id} does not exist`);
  const ctx = reportContext({ db, fleet, from: report.from_day, to: report.to_day, language: report.language, now, vehicleId: report.vehicle_id, driverId: report.driver_id });
  const base = { contentType: CONTENT_TYPES[report.format], fileName: reportFileName(report) };
  if (report.kind === 'daily') return { ...base, ...(await renderDailyReport(ctx)) };
  const data = await loadRangeData(ctx);
  if (report.format === 'csv') return { ...base, bytes: rangeCsv(data, fleet.timezone), pages: null };
  const w = ctx.words;
  if (report.format === 'xlsx') {
    const names = { trip: w.t('tripsSection'), stop: w.t('stops'), speeding: w.t('speeding'), idling: w.t('idling'), incident: w.t('otherIncidents'), driver_summary: w.t('driverSummary') };
    return { ...base, bytes: await rangeXlsx(data, fleet.timezone, names), pages: null };
  }
  const [vehicle, driver] = await Promise.all([
    report.vehicle_id ? db.selectFrom('vehicles').select('plate').where('id', '=', report.vehicle_id).executeTakeFirst() : undefined,
    report.driver_id ? db.selectFrom('drivers').select('name').where('id', '=', report.driver_id).executeTakeFirst() : undefined,
  ]);
  return { ...base, ...(await renderRangePdf(ctx, data, { vehicle: vehicle?.plate ?? report.vehicle_id, driver: driver?.name ?? report.driver_id })) };
}
