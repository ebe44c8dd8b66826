/** /admin/devices: every fleet's devices in one table, with the same key actions as an owner's. */
import { allVehicles } from '../map-page.tsx';
import { allDevices, DevicesTable, serverUrlFor } from '../devices-page.tsx';
import { adminOnly, fleetNames } from './admin-only.tsx';

export const adminDevicesPage = adminOnly(async (c, ctx) => {
  const { t } = ctx.i18n;
  const [devices, vehicles, fleets] = await Promise.all([allDevices(ctx), allVehicles(ctx), fleetNames(ctx)]);
  return {
    title: t('adminDevices.title'),
    body: (
      <>
        <h1>{t('adminDevices.title')}</h1>
        <DevicesTable
          ctx={ctx}
          devices={devices}
          plates={new Map(vehicles.map((v) => [v.id, v.plate]))}
          fleets={new Map(fleets.map((f) => [f.id, f.name]))}
          serverUrl={serverUrlFor(c, ctx)}
          canWrite
        />
      </>
    ),
  };
});
