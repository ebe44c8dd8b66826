/** A small map around one place (an incident): its marker and the track that led there. */
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from './use-i18n.ts';

export interface SpotMapProps {
  latitude: number;
  longitude: number;
  track: Array<[number, number]>;
  tileUrl: string | null;
  tileAttribution: string | null;
}

export default function SpotMap({ latitude, longitude, track, tileUrl, tileAttribution }: SpotMapProps) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let map: import('leaflet').Map | null = null;
    void import('leaflet').then((leaflet) => {
      if (!element.current) return;
      const L = (leaflet as unknown as { default?: typeof leaflet }).default ?? leaflet;
      map = L.map(element.current, { attributionControl: Boolean(tileUrl) }).setView([latitude, longitude], 16);
      if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: tileAttribution ?? '' }).addTo(map);
      L.control.scale({ imperial: false }).addTo(map);
      if (track.length > 1) L.polyline(track, { color: '#2563eb', weight: 4 }).addTo(map);
      L.circleMarker([latitude, longitude], { radius: 9, color: '#b91c1c', fillOpacity: 0.8 }).addTo(map);
      if (track.length > 1) map.fitBounds([...track, [latitude, longitude]], { padding: [30, 30], maxZoom: 17 });
    });
    return () => map?.remove();
  }, []);
  return <div ref={element} class={`map spot-map${tileUrl ? '' : ' no-tiles'}`} role="img" aria-label={t('incident.location')} />;
}
