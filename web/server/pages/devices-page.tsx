/**
 * /devices: the fleet's camera units — status, battery, signal, last seen, key expiry — with provisioning (key and
 * QR codes shown once), new key and revoke. /admin/devices reuses the table across every fleet.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../../edge/app-env.ts';
import CameraRoleSelect from '../../islands/camera-role-select.tsx';
import type { CameraRoleOption } from '../../islands/camera-roles.ts';
import DeviceActions from '../../islands/device-actions.tsx';
import DeviceProvision from '../../islands/device-provision.tsx';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';
import { allVehicles } from './map-page.tsx';
import { CardTable, type Column } from './card-table.tsx';

export interface ApiDevice {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  name: string | null;
  camera_role: CameraRoleOption;
  /** Null for road cameras (nothing to calibrate). */
  calibration?: { status: 'calibrating' | 'ready'; samples: number | null; needed: number } | null;
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

/** Battery, signal and firmware as the unit last reported them, only what it reported. */
function unitState(ctx: PageContext, d: ApiDevice): string {
  const { t, unit } = ctx.i18n;
  const known = [d.battery_pct === null ? null : `${t('devices.battery')} ${unit(d.battery_pct, '%')}`, d.rssi === null ? null : `${t('devices.signal')} ${unit(d.rssi, 'dBm')}`, d.firmware_version];
  const shown = known.filter((part): part is string => part !== null);
  return shown.length > 0 ? shown.join(' · ') : t('devices.unknown');
}

/**
 * Devices as a table that becomes cards on phones. Seven columns at most (eight with the fleet, for admins), so the
 * actions stay on screen at 1366 px: the unit's state and the key with its expiry share a cell each.
 */
export function DevicesTable({ ctx, devices, plates, fleets, serverUrl, canWrite }: { ctx: PageContext; devices: ApiDevice[]; plates: Map<string, string>; fleets?: Map<string, string>; serverUrl: string; canWrite: boolean }) {
  const { t, dateTime } = ctx.i18n;
  const columns: Array<Column<ApiDevice>> = [
    { label: 'adminFleets.name', cell: (d) => d.name ?? d.key_prefix, wrap: true },
    { label: 'incidents.vehicle', cell: (d) => plates.get(d.vehicle_id) ?? '' },
    ...(fleets ? [{ label: 'adminLive.fleet' as const, cell: (d: ApiDevice) => fleets.get(d.fleet_id) ?? d.fleet_id }] : []),
    {
      label: 'cameraRole.label',
      cell: (d) => (
        <span data-camera-role={d.camera_role}>
          {canWrite && d.status !== 'revoked' ? <Island name="camera-role-select" component={CameraRoleSelect} props={{ id: d.id, name: d.name ?? d.key_prefix, role: d.camera_role }} /> : t(`cameraRole.${d.camera_role}`)}
          {d.calibration && (
            <>
              <br />
              <small data-calibration={d.calibration.status}>{d.calibration.status === 'ready' ? t('calibration.ready') : t('calibration.calibrating', { n: d.calibration.samples ?? 0, need: d.calibration.needed })}</small>
            </>
          )}
        </span>
      ),
      wrap: true,
    },
    { label: 'vehicle.status', cell: (d) => <span class={`pill device-${d.status}`}>{t(d.status === 'revoked' ? 'devices.revoked' : 'devices.active')}</span> },
    { label: 'devices.lastSeen', cell: (d) => dateTime(d.last_seen_at) },
    { label: 'devices.unit', cell: (d) => <span data-unit-state>{unitState(ctx, d)}</span>, wrap: true },
    {
      label: 'devices.key',
      cell: (d) => (
        <span>
          <code>{d.key_prefix}…</code>
          {d.status !== 'revoked' && <small class="muted"> · {t('devices.keyExpires')} {dateTime(d.key_expires_at)}</small>}
        </span>
      ),
      wrap: true,
    },
    ...(canWrite
      ? [{ label: 'devices.actions' as const, cell: (d: ApiDevice) => (d.status === 'revoked' ? '—' : <Island name="device-actions" component={DeviceActions} props={{ id: d.id, name: d.name ?? d.key_prefix, status: d.status, serverUrl, cameraRole: d.camera_role }} />) }]
      : []),
  ];
  return <CardTable ctx={ctx} label={t('devices.title')} rows={devices} columns={columns} rowAttributes={(d) => ({ 'data-device-id': d.id })} />;
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
