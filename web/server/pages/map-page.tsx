/** /map (the owner's main page): the live map with every taxi, seeded with their latest positions. */
import { mapTiles } from '../../../edge/config.ts';
import type { VehicleView } from '../../client/stores.ts';
import LiveMap from '../../islands/live-map.tsx';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';

interface ApiVehicle {
  id: string;
  plate: string;
  status: string;
  live: { status: string; location: VehicleView['location'] | null };
}

/** Follows the API's cursors: fleets have hundreds of taxis, pages hold 200. */
export async function allVehicles(ctx: PageContext, max = 2000): Promise<VehicleView[]> {
  const out: VehicleView[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: ApiVehicle[]; next_cursor: string | null } = await ctx.api(`/api/v1/vehicles?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const v of page.data) {
      const location = v.live.location ? { latitude: v.live.location.latitude, longitude: v.live.location.longitude, speed_kmh: v.live.location.speed_kmh, heading: v.live.location.heading, device_time: v.live.location.device_time } : null;
      // A taxi out of service says so; otherwise its live state (moving, stopped, offline).
      out.push({ id: v.id, plate: v.plate, status: v.status === 'active' ? v.live.status : v.status, location });
    }
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

export const mapPage: PageHandler = async (_c, ctx) => {
  const vehicles = await allVehicles(ctx);
  return {
    title: ctx.i18n.t('map.title'),
    body: (
      <>
        <h1 class="visually-hidden">{ctx.i18n.t('map.title')}</h1>
        <Island name="live-map" component={LiveMap} props={{ vehicles, ...mapTiles(ctx.config), now: ctx.now() }} />
      </>
    ),
  };
};
