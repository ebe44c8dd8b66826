/**
 * /devices: the fleet's camera units — status, battery, signal, last seen, key expiry — with provisioning (key and
 * QR codes shown once), new key and revoke. /admin/devices reuses the table across every fleet.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../../edge/app-env.ts';
import DeviceActions from '../../islands/device-actions.tsx';
import DeviceProvision from '../../islands/device-provision.tsx';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';
import { allVehicles } from './map-page.tsx';

export interface ApiDevice {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  name: string | null;
  key_prefix: string;
  key_expires_at: string | null;
  status: string;
  last_seen_at: string | null;
  battery_pct: number | null;
  rssi: number | null;
  firmware_version: string | null;
}

/** Follows the API's cursors, like allVehicles. */
export async function allDevices(ctx: PageContext, max = 2000): Promise<ApiDevice[]> {
  const out: ApiDevice[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: ApiDevice[]; next_cursor: string | null } = await ctx.api(`/api/v1/devices?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

/** Where devices reach this server: PUBLIC_URL when configured, else the address the page was opened at. */
export function serverUrlFor(c: Context<AppEnv>, ctx: PageContext): string {
  return (ctx.config.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

export function DevicesTable({ ctx, devices, plates, fleets, serverUrl, canWrite }: { ctx: PageContext; devices: ApiDevice[]; plates: Map<string, string>; fleets?: Map<string, string>; serverUrl: string; canWrite: boolean }) {
  const { t, dateTime, unit } = ctx.i18n;
  if (devices.length === 0) return <p>{t('list.empty')}</p>;
  return (
    <div class="table-wrap" role="region" aria-label={t('devices.title')} tabIndex={0}>
      <table class="devices-table">
        <thead>
          <tr>
            {fleets && <th scope="col">{t('adminLive.fleet')}</th>}
            <th scope="col">{t('incidents.vehicle')}</th>
            <th scope="col">{t('adminFleets.name')}</th>
            <th scope="col">{t('devices.key')}</th>
            <th scope="col">{t('vehicle.status')}</th>
            <th scope="col">{t('devices.lastSeen')}</th>
            <th scope="col">{t('devices.battery')}</th>
            <th scope="col">{t('devices.signal')}</th>
            <th scope="col">{t('devices.firmware')}</th>
            <th scope="col">{t('devices.keyExpires')}</th>
            {canWrite && <th scope="col">{t('devices.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr data-device-id={d.id}>
              {fleets && <td>{fleets.get(d.fleet_id) ?? d.fleet_id}</td>}
              <td>{plates.get(d.vehicle_id) ?? ''}</td>
              <td>{d.name ?? '—'}</td>
              <td>
                <code>{d.key_prefix}…</code>
              </td>
              <td>
                <span class={`pill device-${d.status}`}>{t(d.status === 'revoked' ? 'devices.revoked' : 'devices.active')}</span>
              </td>
              <td>{dateTime(d.last_seen_at)}</td>
              <td>{unit(d.battery_pct, '%')}</td>
              <td>{unit(d.rssi, 'dBm')}</td>
              <td>{d.firmware_version ?? '—'}</td>
              <td>{d.status === 'revoked' ? '—' : dateTime(d.key_expires_at)}</td>
              {canWrite && (
                <td>
                  {d.status === 'revoked' ? '—' : <Island name="device-actions" component={DeviceActions} props={{ id: d.id, name: d.name ?? d.key_prefix, status: d.status, serverUrl }} />}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const devicesPage: PageHandler = async (c, ctx) => {
  const { t } = ctx.i18n;
  const [devices, vehicles] = await Promise.all([allDevices(ctx), allVehicles(ctx)]);
  const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
  const serverUrl = serverUrlFor(c, ctx);
  // Viewers read; owners (and admins) provision and manage keys.
  const canWrite = ctx.principal?.role !== 'viewer';
  return {
    title: t('devices.title'),
    body: (
      <>
        <h1>{t('devices.title')}</h1>
        {canWrite && <Island name="device-provision" component={DeviceProvision} props={{ vehicles: vehicles.map((v) => ({ id: v.id, plate: v.plate })), serverUrl }} />}
        <DevicesTable ctx={ctx} devices={devices} plates={plates} serverUrl={serverUrl} canWrite={canWrite} />
      </>
    ),
  };
};
