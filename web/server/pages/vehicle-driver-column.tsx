/**
 * The vehicles page's driver column: who drives each taxi now, and for owners (and admins) a control to change it.
 * Viewers see the name only.
 */
import DriverAssign from '../../islands/driver-assign.tsx';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';

interface CurrentDriver {
  id: string;
  name: string;
  since: string;
}

export interface DriverColumn {
  canWrite: boolean;
  /** vehicle id → its current driver */
  current: Map<string, CurrentDriver>;
  /** The fleet's drivers to choose from (owners only). */
  choices: Array<{ id: string; name: string }>;
}

/** Follows the API's cursors for the current drivers; the drivers list only when the user may assign. */
export async function loadDriverColumn(ctx: PageContext, max = 2000): Promise<DriverColumn> {
  const canWrite = ctx.principal !== null && ctx.principal.role !== 'viewer';
  const current = new Map<string, CurrentDriver>();
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page: { data: Array<{ id: string; driver: CurrentDriver | null }>; next_cursor: string | null } = await ctx.api(`/api/v1/vehicles?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const v of page.data) if (v.driver) current.set(v.id, v.driver);
    seen += page.data.length;
    cursor = page.next_cursor;
  } while (cursor && seen < max);
  const choices = canWrite ? (await ctx.api<{ data: Array<{ id: string; name: string }> }>('/api/v1/drivers?limit=200')).data.map((d) => ({ id: d.id, name: d.name })) : [];
  return { canWrite, current, choices };
}

export function DriverCell({ column, vehicle }: { column: DriverColumn; vehicle: { id: string; plate: string } }) {
  const driver = column.current.get(vehicle.id) ?? null;
  if (!column.canWrite) return <span data-driver-of={vehicle.id}>{driver?.name ?? '—'}</span>;
  return <Island name="driver-assign" component={DriverAssign} props={{ vehicleId: vehicle.id, plate: vehicle.plate, currentDriverId: driver?.id ?? null, drivers: column.choices }} />;
}
