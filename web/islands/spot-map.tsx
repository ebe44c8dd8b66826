/** A small map around one place (an incident): its marker and the track that led there. */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { addTiles, MapNote, type MapTiles } from './map-tiles.tsx';
import { useI18n } from './use-i18n.ts';

export interface SpotMapProps extends MapTiles {
  latitude: number;
  longitude: number;
  track: Array<[number, number]>;
}

export default function SpotMap({ latitude, longitude, track, ...tiles }: SpotMapProps) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const tilesFailed = useSignal(false);
  useEffect(() => {
    let map: import('leaflet').Map | null = null;
    void import('./leaflet.ts').then((L) => {
      if (!element.current) return;
      map = L.map(element.current).setView([latitude, longitude], 16);
      addTiles(L, map, tiles, () => (tilesFailed.value = true));
      L.control.scale({ imperial: false }).addTo(map);
      if (track.length > 1) L.polyline(track, { color: '#2563eb', weight: 4 }).addTo(map);
      L.circleMarker([latitude, longitude], { radius: 9, color: '#b91c1c', fillOpacity: 0.8 }).addTo(map);
      if (track.length > 1) map.fitBounds([...track, [latitude, longitude]], { padding: [30, 30], maxZoom: 17 });
    });
    return () => map?.remove();
  }, []);
  return (
    <div class="map-area">
      <div ref={element} class="map spot-map" role="img" aria-label={t('incident.location')} />
      <MapNote tiles={tiles} failed={tilesFailed.value} />
    </div>
  );
}
