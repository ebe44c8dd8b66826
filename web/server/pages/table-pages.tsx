/**
 * Trips, vehicles and drivers as server-rendered lists (no scripts needed): a table on wide screens, a card per row
 * on phones (the first column is the card's title, the others labelled lines; app.css). Trips are filtered by day,
 * taxi and driver and paged newest first.
 */
import type { ComponentChildren } from 'preact';
import type { LicenceStatus } from '../../../edge/domain/licence-status.ts';
import DriverAdd from '../../islands/driver-add.tsx';
import LicenceEdit from '../../islands/licence-edit.tsx';
import VehicleAdd from '../../islands/vehicle-add.tsx';
import { Island } from '../island.tsx';
import { labelOf } from '../../i18n/labels.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';
import { CardTable, type Column } from './card-table.tsx';
import { driverChoices, ListFilterForm, ListPager, readListFilters } from './list-filters.tsx';
import { allVehicles } from './map-page.tsx';
import { DriverCell, loadDriverColumn } from './vehicle-driver-column.tsx';

function Table<T>({
  ctx,
  title,
  rows,
  columns,
  actions,
}: {
  ctx: PageContext;
  title: MessageKey;
  rows: T[];
  columns: Array<Column<T>>;
  actions?: ComponentChildren;
}) {
  return (
    <>
      <h1>{ctx.i18n.t(title)}</h1>
      {actions}
      <CardTable ctx={ctx} label={ctx.i18n.t(title)} rows={rows} columns={columns} />
    </>
  );
}

interface Trip {
  id: string;
  vehicle_id: string;
  started_at: string;
  distance_m: number | null;
  duration_s: number | null;
  max_speed_kmh: number | null;
  incident_count: number;
  driver_name: string | null;
}

export const TRIPS_PAGE_SIZE = 30;

export const tripsPage: PageHandler = async (c, ctx) => {
  const { dateTime, unit, duration, t } = ctx.i18n;
  const filters = readListFilters(c, ctx);
  const [page, vehicles, drivers] = await Promise.all([
    ctx.api<{ data: Trip[]; next_cursor: string | null }>(
      `/api/v1/trips?order=desc&limit=${TRIPS_PAGE_SIZE}&${filters.apiQuery}`,
    ),
    allVehicles(ctx),
    driverChoices(ctx),
  ]);
  const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
  return {
    title: t('trips.title'),
    body: (
      <>
        <h1>{t('trips.title')}</h1>
        <ListFilterForm
          ctx={ctx}
          action="/trips"
          filters={filters}
          taxis={vehicles.map((v) => ({ id: v.id, label: v.plate }))}
          drivers={drivers}
        />
        <CardTable
          ctx={ctx}
          label={t('trips.title')}
          rows={page.data}
          rowAttributes={(r) => ({ 'data-trip-row': r.id })}
          columns={[
            { label: 'incidents.vehicle', cell: (r) => plates.get(r.vehicle_id) ?? '' },
            {
              label: 'trips.start',
              cell: (r) => (
                <a href={`/trips/${encodeURIComponent(r.id)}`} data-trip-id={r.id}>
                  {dateTime(r.started_at)}
                </a>
              ),
            },
            { label: 'vehicle.driver', cell: (r) => r.driver_name ?? '—' },
            { label: 'trips.distance', cell: (r) => unit(r.distance_m === null ? null : r.distance_m / 1000, 'km', 1) },
            { label: 'trips.duration', cell: (r) => duration(r.duration_s) },
            { label: 'trips.maxSpeed', cell: (r) => unit(r.max_speed_kmh, 'km/h') },
            {
              label: 'trips.incidents',
              cell: (r) => <span data-incident-count={r.incident_count}>{r.incident_count}</span>,
            },
          ]}
        />
        <ListPager ctx={ctx} action="/trips" filters={filters} nextCursor={page.next_cursor} />
      </>
    ),
  };
};

export const vehiclesPage: PageHandler = async (_c, ctx) => {
  const { t, dateTime } = ctx.i18n;
  const [vehicles, drivers] = await Promise.all([allVehicles(ctx), loadDriverColumn(ctx)]);
  const canAdd = ctx.principal?.role === 'owner' && !ctx.principal.apiKey;
  return {
    title: t('vehicles.title'),
    body: (
      <Table
        ctx={ctx}
        title="vehicles.title"
        rows={vehicles}
        actions={canAdd && <Island name="vehicle-add" component={VehicleAdd} props={{}} />}
        columns={[
          { label: 'vehicle.plate', cell: (v) => v.plate },
          {
            label: 'vehicle.status',
            cell: (v) => <span class={`pill status-${v.status}`}>{labelOf(t, 'status', v.status)}</span>,
          },
          { label: 'vehicle.driver', cell: (v) => <DriverCell column={drivers} vehicle={v} /> },
          { label: 'vehicle.lastReport', cell: (v) => dateTime(v.location?.device_time) },
        ]}
      />
    ),
  };
};

interface Driver {
  id: string;
  name: string;
  licence_number: string;
  licence_expires_on: string;
  licence_status: LicenceStatus;
}

export const driversPage: PageHandler = async (_c, ctx) => {
  const { t } = ctx.i18n;
  const page = await ctx.api<{ data: Driver[] }>('/api/v1/drivers?limit=200');
  // Owners add drivers and renew licences here; viewers read; admins manage fleets from the admin console.
  const canEdit = ctx.principal?.role === 'owner' && !ctx.principal.apiKey;
  return {
    title: t('drivers.title'),
    body: (
      <Table
        ctx={ctx}
        title="drivers.title"
        rows={page.data}
        actions={
          <>
            <p>
              <a href="/scores">{t('scores.leaderboard')}</a>
            </p>
            {canEdit && <Island name="driver-add" component={DriverAdd} props={{}} />}
          </>
        }
        columns={[
          { label: 'drivers.name', cell: (d) => <a href={`/drivers/${encodeURIComponent(d.id)}`}>{d.name}</a> },
          { label: 'drivers.licence', cell: (d) => d.licence_number },
          {
            label: 'drivers.expires',
            cell: (d) =>
              canEdit ? (
                <Island
                  name="licence-edit"
                  component={LicenceEdit}
                  props={{
                    driverId: d.id,
                    driverName: d.name,
                    expiresOn: d.licence_expires_on,
                    status: d.licence_status,
                  }}
                />
              ) : (
                <>
                  {d.licence_expires_on}{' '}
                  <span class={`pill licence-${d.licence_status}`}>{t(`licence.${d.licence_status}`)}</span>
                </>
              ),
          },
        ]}
      />
    ),
  };
};
