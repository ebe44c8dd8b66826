/**
 * The live map: every taxi at its latest position, heading and status, moved by location_update and
 * vehicle_status. Tapping a taxi (on the map or in the list, which also serves keyboards and screen readers)
 * opens its panel. Without a tile URL the map is a plain background with a scale: the taxis still show.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { upsertVehicle, vehicleRoster, vehicles, type VehicleView } from '../client/stores.ts';
import { labelOf } from '../i18n/labels.ts';
import { useI18n } from './use-i18n.ts';
import { VehiclePanel } from './vehicle-panel.tsx';

export interface LiveMapProps {
  vehicles: VehicleView[];
  tileUrl: string | null;
  tileAttribution: string | null;
}

const DEFAULT_CENTER: [number, number] = [40.4168, -3.7038];

export default function LiveMap(props: LiveMapProps) {
  const { t, time, unit } = useI18n();
  const mapElement = useRef<HTMLDivElement>(null);
  const selected = useSignal<string | null>(null);
  const browser = typeof window !== 'undefined';
  if (browser) for (const v of props.vehicles) if (!vehicles.has(v.id)) upsertVehicle(v.id, v);

  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [];
    void Promise.all([import('leaflet'), import('./taxi-markers.ts')]).then(([leaflet, { followTaxi }]) => {
      if (disposed || !mapElement.current) return;
      const L = (leaflet as unknown as { default?: typeof leaflet }).default ?? leaflet;
      const map = L.map(mapElement.current, { zoomControl: true, attributionControl: Boolean(props.tileUrl) });
      if (props.tileUrl) L.tileLayer(props.tileUrl, { maxZoom: 19, attribution: props.tileAttribution ?? '' }).addTo(map);
      L.control.scale({ imperial: false }).addTo(map);
      const placed = props.vehicles.filter((v) => v.location).map((v) => [v.location!.latitude, v.location!.longitude] as [number, number]);
      if (placed.length > 1) map.fitBounds(placed, { padding: [40, 40], maxZoom: 16 });
      else map.setView(placed[0] ?? DEFAULT_CENTER, placed.length ? 15 : 12);
      const followed = new Set<string>();
      const follow = () => {
        for (const [id, vehicle] of vehicles) {
          if (followed.has(id)) continue;
          followed.add(id);
          cleanups.push(followTaxi(L, map, vehicle, selected, (chosen) => (selected.value = chosen)));
        }
      };
      follow();
      const stopRoster = vehicleRoster.subscribe(follow);
      cleanups.push(stopRoster, () => map.remove());
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
      <div ref={mapElement} class={`map${props.tileUrl ? '' : ' no-tiles'}`} role="region" aria-label={t('map.label')} data-testid="map" />
      {!props.tileUrl && <p class="map-note">{t('map.noTiles')}</p>}
      <div class="taxi-side">
        {selected.value && <VehiclePanel id={selected.value} onClose={() => (selected.value = null)} />}
        <h2 class="taxi-count">{t('map.count', { count: list.length })}</h2>
        <ul class="taxi-list">
          {list.map((v) => (
            <li key={v.id}>
              <button type="button" class={`taxi-item status-${v.status}`} aria-pressed={selected.value === v.id} onClick={() => (selected.value = v.id)} data-vehicle-id={v.id}>
                <strong>{v.plate}</strong>
                <span class="status-pill">{labelOf(t, 'status', v.status)}</span>
                <span class="taxi-meta">{v.location ? `${unit(v.location.speed_kmh, 'km/h')} · ${time(v.location.device_time)}` : t('map.noPosition')}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
