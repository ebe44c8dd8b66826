/**
 * The live map: every taxi at its latest position, heading and status, moved by location_update and
 * vehicle_status. Tapping a taxi (on the map or in the list, which also serves keyboards and screen readers)
 * opens its panel and centres the map on it, following it as it moves until the map is dragged. A taxi whose last
 * report is over two minutes old is faded and says how old it is, whatever its last status. The first view fits
 * every taxi.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { serverNow, upsertVehicle, vehicleRoster, vehicles, type VehicleView } from '../client/stores.ts';
import { labelOf } from '../i18n/labels.ts';
import { addTiles, MapNote, type MapTiles } from './map-tiles.tsx';
import { isStale, statusText } from './taxi-freshness.ts';
import { useI18n } from './use-i18n.ts';
import { VehiclePanel } from './vehicle-panel.tsx';

export interface LiveMapProps extends MapTiles {
  vehicles: VehicleView[];
  /** The server's time when the page was rendered (epoch ms): report ages until the tab's clock starts. */
  now: number;
}

/** Without any taxi to show: the middle of the continental US, zoomed out. */
const DEFAULT_VIEW: [[number, number], number] = [[39.8, -98.6], 4];

export default function LiveMap(props: LiveMapProps) {
  const { t, time, unit } = useI18n();
  const mapElement = useRef<HTMLDivElement>(null);
  const map = useRef<import('leaflet').Map | null>(null);
  const selected = useSignal<string | null>(null);
  const following = useRef(false);
  const tilesFailed = useSignal(false);
  const browser = typeof window !== 'undefined';
  if (browser) for (const v of props.vehicles) if (!vehicles.has(v.id)) upsertVehicle(v.id, v);
  const now = (browser && serverNow.value) || props.now;

  /** Picks a taxi: its panel opens and the map centres on it and follows it. */
  const select = (id: string) => {
    selected.value = id;
    following.current = true;
    const at = vehicles.get(id)?.value.location;
    if (at && map.current) map.current.setView([at.latitude, at.longitude], Math.max(map.current.getZoom(), 15));
  };

  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [];
    void Promise.all([import('./leaflet.ts'), import('./taxi-markers.ts')]).then(([L, { followTaxi }]) => {
      if (disposed || !mapElement.current) return;
      // Quarter zoom steps: the first view fits the fleet closely instead of up to twice as wide as it needs.
      const m = (map.current = L.map(mapElement.current, { zoomSnap: 0.25 }));
      addTiles(L, m, props, () => (tilesFailed.value = true));
      L.control.scale({ imperial: false }).addTo(m);
      const placed = props.vehicles.filter((v) => v.location).map((v) => [v.location!.latitude, v.location!.longitude] as [number, number]);
      // Room on the right for the plates beside the markers.
      if (placed.length > 1) m.fitBounds(placed, { paddingTopLeft: [24, 24], paddingBottomRight: [72, 24], maxZoom: 15 });
      else if (placed.length === 1) m.setView(placed[0], 15);
      else m.setView(...DEFAULT_VIEW);
      m.on('dragstart', () => (following.current = false));
      // What the map shows, readable without Leaflet's internals (tests, assistive tools): west,south,east,north.
      const showBounds = () => mapElement.current && (mapElement.current.dataset.bounds = m.getBounds().toBBoxString());
      m.on('moveend', showBounds);
      showBounds();
      const followed = new Set<string>();
      const follow = () => {
        for (const [id, vehicle] of vehicles) {
          if (followed.has(id)) continue;
          followed.add(id);
          const at = () => serverNow.value || props.now;
          cleanups.push(followTaxi(L, m, vehicle, { selected, following: () => following.current, onSelect: select, stale: (v) => isStale(v, at()), label: (v) => statusText(t, labelOf(t, 'status', v.status), v, at()) }));
        }
      };
      follow();
      cleanups.push(vehicleRoster.subscribe(follow), () => m.remove());
      mapElement.current.dataset.ready = 'true';
    });
    return () => {
      disposed = true;
      for (const cleanup of cleanups) cleanup();
    };
  }, []);

  // The list shows speeds and times, so it follows every taxi (reading vehicleRoster also adds new ones).
  const list = browser && vehicleRoster.value >= 0 ? [...vehicles.values()].map((s) => s.value) : props.vehicles;

  return (
    <div class="live-map">
      <div class="map-area">
        <div ref={mapElement} class="map" role="region" aria-label={t('map.label')} data-testid="map" />
        <MapNote tiles={props} failed={tilesFailed.value} />
      </div>
      <div class="taxi-side">
        {selected.value && <VehiclePanel id={selected.value} onClose={() => (selected.value = null)} />}
        <h2 class="taxi-count">{t('map.count', { count: list.length })}</h2>
        <ul class="taxi-list">
          {list.map((v) => {
            const stale = isStale(v, now);
            return (
              <li key={v.id}>
                <button type="button" class={`taxi-item status-${stale ? 'stale' : v.status}`} aria-pressed={selected.value === v.id} onClick={() => select(v.id)} data-vehicle-id={v.id} data-stale={stale ? 'true' : undefined}>
                  <strong>{v.plate}</strong>
                  <span class="status-pill">{statusText(t, labelOf(t, 'status', v.status), v, now)}</span>
                  <span class="taxi-meta">{v.location ? `${stale ? '' : `${unit(v.location.speed_kmh, 'km/h')} · `}${time(v.location.device_time)}` : t('map.noPosition')}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
