/** /reports: the fleet's reports (daily and on demand), and a form to ask for one (owners). */
import ReportsPanel, { type ReportItem } from '../../islands/reports-panel.tsx';
import { Island } from '../island.tsx';
import type { PageHandler } from '../register-web.ts';

export const reportsPage: PageHandler = async (_c, ctx) => {
  const { t } = ctx.i18n;
  const canWrite = ctx.principal?.role === 'owner' && !ctx.principal.apiKey;
  const [reports, vehicles, drivers] = await Promise.all([
    ctx.api<{ data: ReportItem[] }>('/api/v1/reports?limit=100'),
    ctx.api<{ data: Array<{ id: string; plate: string }> }>('/api/v1/vehicles?limit=200'),
    ctx.api<{ data: Array<{ id: string; name: string }> }>('/api/v1/drivers?limit=200'),
  ]);
  // The fleet's own today: the latest day a report may cover.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.i18n.timeZone }).format(ctx.now());
  const pick = ({ id, kind, format, status, from, to, vehicle_id, driver_id, pages, error, created_at, expires_at }: ReportItem): ReportItem => ({ id, kind, format, status, from, to, vehicle_id, driver_id, pages, error, created_at, expires_at });
  return {
    title: t('reports.title'),
    body: (
      <>
        <h1>{t('reports.title')}</h1>
        <p class="muted">{t('reports.intro')}</p>
        <Island
          name="reports-panel"
          component={ReportsPanel}
          props={{ reports: reports.data.map(pick), vehicles: vehicles.data.map(({ id, plate }) => ({ id, plate })), drivers: drivers.data.map(({ id, name }) => ({ id, name })), canWrite, today }}
        />
      </>
    ),
  };
};
