/**
 * The tiles under every map (live map, incident spot, trip replay). Leaflet asks only for the tiles in view (no
 * prefetching of other areas or zooms, as OpenStreetMap's tile usage policy asks) and shows the attribution. The
 * map element draws a grid beneath, so while tiles load, and when none are configured, the taxis still show on it;
 * when tiles cannot be loaded at all the layer is removed and `failed` tells the island to say so.
 */
import type * as Leaflet from 'leaflet';
import type * as LeafletParts from './leaflet.ts';
import { useI18n } from './use-i18n.ts';

export interface MapTiles {
  tileUrl: string | null;
  tileAttribution: string | null;
}

export function addTiles(L: typeof LeafletParts, map: Leaflet.Map, tiles: MapTiles, failed: () => void): void {
  if (!tiles.tileUrl) return;
  let loaded = false;
  const layer = L.tileLayer(tiles.tileUrl, { maxZoom: 19, attribution: tiles.tileAttribution ?? '' })
    .on('tileload', () => (loaded = true))
    .on('tileerror', () => {
      if (loaded) return; // one missing tile on a flaky network is not a broken provider
      layer.remove();
      failed();
    });
  layer.addTo(map);
}

/** Over the map (never beside it): why the taxis are on a plain grid, when they are. */
export function MapNote({ tiles, failed }: { tiles: MapTiles; failed: boolean }) {
  const { t } = useI18n();
  if (tiles.tileUrl && !failed) return null;
  return (
    <p class="map-note" role="note">
      {t(tiles.tileUrl ? 'map.tilesFailed' : 'map.tilesOff')}
    </p>
  );
}
