/** /alerts: the latest alerts, then live ones as they arrive. */
import AlertList, { type AlertListProps } from '../../islands/alert-list.tsx';
import { Island } from '../island.tsx';
import type { PageHandler } from '../register-web.ts';
import { allVehicles } from './map-page.tsx';

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

export const alertsPage: PageHandler = async (_c, ctx) => {
  const [page, vehicles] = await Promise.all([ctx.api<{ data: ApiAlert[] }>('/api/v1/alerts?limit=50'), allVehicles(ctx)]);
  const props: AlertListProps = {
    alerts: page.data.map((a) => ({ alert_id: a.id, incident_id: a.incident_id, vehicle_id: a.vehicle_id, severity: a.severity, type: a.incident_type, description: a.incident_description, message: a.message, occurred_at: a.created_at, read_at: a.read_at, acknowledged_at: a.acknowledged_at })),
    plates: Object.fromEntries(vehicles.map((v) => [v.id, v.plate])),
    canAcknowledge: ctx.principal?.role !== 'viewer',
  };
  return {
    title: ctx.i18n.t('alerts.title'),
    body: (
      <>
        <h1>{ctx.i18n.t('alerts.title')}</h1>
        <Island name="alert-list" component={AlertList} props={props} />
      </>
    ),
  };
};
