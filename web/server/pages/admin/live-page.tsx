/** /admin/live: every fleet's events as they happen, with type and fleet filters and a pause. */
import AdminLiveFeed from '../../../islands/admin-live-feed.tsx';
import { Island } from '../../island.tsx';
import { allVehicles } from '../map-page.tsx';
import { adminOnly, fleetNames } from './admin-only.tsx';

export const adminLivePage = adminOnly(async (_c, ctx) => {
  const [fleets, vehicles] = await Promise.all([fleetNames(ctx), allVehicles(ctx)]);
  return {
    title: ctx.i18n.t('adminLive.title'),
    body: (
      <>
        <h1>{ctx.i18n.t('adminLive.title')}</h1>
        <Island name="admin-live-feed" component={AdminLiveFeed} props={{ fleets, plates: Object.fromEntries(vehicles.map((v) => [v.id, v.plate])) }} />
      </>
    ),
  };
});
