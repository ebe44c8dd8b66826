/** /alerts: the newest alerts, then live ones as they arrive; filtered by day, taxi and driver, paged with "Older". */
import AlertList, { type AlertListProps } from '../../islands/alert-list.tsx';
import { Island } from '../island.tsx';
import type { PageHandler } from '../register-web.ts';
import { driverChoices, ListFilterForm, ListPager, readListFilters } from './list-filters.tsx';
import { allVehicles } from './map-page.tsx';
import { PushCardSection } from './notification-sections.tsx';

interface ApiAlert {
  id: string;
  incident_id: string | null;
  vehicle_id: string | null;
  severity: string;
  message: string | null;
  incident_type: string | null;
  incident_description: string | null;
  created_at: string;
  read_at: string | null;
  acknowledged_at: string | null;
}

export const ALERTS_PAGE_SIZE = 30;

export const alertsPage: PageHandler = async (c, ctx) => {
  const filters = readListFilters(c, ctx);
  const [page, vehicles, drivers] = await Promise.all([
    ctx.api<{ data: ApiAlert[]; next_cursor: string | null }>(`/api/v1/alerts?limit=${ALERTS_PAGE_SIZE}&${filters.apiQuery}`),
    allVehicles(ctx),
    driverChoices(ctx),
  ]);
  const props: AlertListProps = {
    alerts: page.data.map((a) => ({ alert_id: a.id, incident_id: a.incident_id, vehicle_id: a.vehicle_id, severity: a.severity, type: a.incident_type, description: a.incident_description, message: a.message, occurred_at: a.created_at, read_at: a.read_at, acknowledged_at: a.acknowledged_at })),
    plates: Object.fromEntries(vehicles.map((v) => [v.id, v.plate])),
    canAcknowledge: ctx.principal?.role !== 'viewer',
    // New alerts arriving live belong at the top of the newest, unfiltered page only.
    live: filters.unfiltered,
    fleetLocale: ctx.fleetLocale,
  };
  return {
    title: ctx.i18n.t('alerts.title'),
    body: (
      <>
        <h1>{ctx.i18n.t('alerts.title')}</h1>
        <PushCardSection ctx={ctx} />
        <ListFilterForm ctx={ctx} action="/alerts" filters={filters} taxis={vehicles.map((v) => ({ id: v.id, label: v.plate }))} drivers={drivers} />
        <Island name="alert-list" component={AlertList} props={props} />
        <ListPager ctx={ctx} action="/alerts" filters={filters} nextCursor={page.next_cursor} />
      </>
    ),
  };
};
