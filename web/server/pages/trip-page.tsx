/**
 * /trips/:id: a trip's replay — its facts, its track (every fix of the trip, thinned for very long trips) and the
 * incidents of the vehicle during it, handed to the trip-replay island.
 */
import { mapTiles } from '../../../edge/config.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import TripReplay, { type ReplayIncident } from '../../islands/trip-replay.tsx';
import { packTrack, type ReplayFix } from '../../islands/replay-track.ts';
import { Island } from '../island.tsx';
import type { PageContext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';

interface ApiTrip {
  id: string;
  vehicle_id: string;
  started_at: string;
  ended_at: string | null;
  distance_m: number | null;
  duration_s: number | null;
  max_speed_kmh: number | null;
  avg_speed_kmh: number | null;
  incident_count: number;
}
interface ApiIncident {
  id: string;
  trip_id: string | null;
  type: string;
  severity: string;
  occurred_at: string;
  latitude: number | null;
  longitude: number | null;
}

/** Fixes read per request (the API's maximum) and the most a replay reads: 6 h at one fix a second. */
const FIX_PAGE = 5000;
const MAX_FIXES = 6 * 3600;

/** The trip's time range as query parameters; a trip still under way has no end yet, so it runs to the latest fix. */
const tripRange = (trip: ApiTrip) => `from=${encodeURIComponent(trip.started_at)}${trip.ended_at ? `&to=${encodeURIComponent(trip.ended_at)}` : ''}`;

async function tripFixes(ctx: PageContext, trip: ApiTrip): Promise<ReplayFix[]> {
  const out: ReplayFix[] = [];
  const range = tripRange(trip);
  let cursor: string | null = null;
  do {
    const page: { data: ReplayFix[]; next_cursor: string | null } = await ctx.api(`/api/v1/vehicles/${encodeURIComponent(trip.vehicle_id)}/fixes?${range}&limit=${FIX_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && out.length < MAX_FIXES);
  return out;
}

export const tripPage: PageHandler = async (c, ctx) => {
  const { t, dateTime, unit, duration } = ctx.i18n;
  const trip = await ctx.api<ApiTrip>(`/api/v1/trips/${encodeURIComponent(c.req.param('id') ?? '')}`);
  const range = tripRange(trip);
  const [vehicle, fixes, incidents] = await Promise.all([
    ctx.api<{ plate: string }>(`/api/v1/vehicles/${encodeURIComponent(trip.vehicle_id)}`),
    tripFixes(ctx, trip),
    ctx.api<{ data: ApiIncident[] }>(`/api/v1/incidents?vehicle_id=${encodeURIComponent(trip.vehicle_id)}&${range}&limit=200`),
  ]);
  const start = Date.parse(trip.started_at);
  const marked: ReplayIncident[] = incidents.data
    .filter((i) => i.trip_id === null || i.trip_id === trip.id)
    .map((i) => ({ id: i.id, type: i.type, severity: i.severity, at: (Date.parse(i.occurred_at) - start) / 1000, latitude: i.latitude, longitude: i.longitude }));
  const title = `${t('replay.title')} · ${vehicle.plate}`;
  return {
    title,
    body: (
      <>
        <p>
          <a href="/trips">← {t('replay.back')}</a>
        </p>
        <h1>{title}</h1>
        <dl class="facts trip-facts">
          <dt>{t('trips.start')}</dt>
          <dd>{dateTime(trip.started_at)}</dd>
          <dt>{t('replay.end')}</dt>
          <dd>{trip.ended_at ? dateTime(trip.ended_at) : t('replay.ongoing')}</dd>
          <dt>{t('trips.distance')}</dt>
          <dd>{unit(trip.distance_m === null ? null : trip.distance_m / 1000, 'km', 1)}</dd>
          <dt>{t('trips.duration')}</dt>
          <dd>{duration(trip.duration_s)}</dd>
          <dt>{t('trips.maxSpeed')}</dt>
          <dd>{unit(trip.max_speed_kmh, 'km/h')}</dd>
          <dt>{t('trips.incidents' as MessageKey)}</dt>
          <dd>{marked.length}</dd>
        </dl>
        <Island
          name="trip-replay"
          component={TripReplay}
          props={{ startedAt: trip.started_at, points: packTrack(fixes, start), incidents: marked, ...mapTiles(ctx.config) }}
        />
      </>
    ),
  };
};
