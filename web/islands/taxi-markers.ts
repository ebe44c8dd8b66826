/**
 * Leaflet markers for taxis: an arrow turned to the heading, coloured by status, labelled with the plate, faded
 * when the last report is old. Each marker follows its taxi's signal (and the tab's clock, for the fading), so a
 * location_update moves one marker without redrawing the others; the picked taxi keeps the map centred on it.
 */
import { effect, type Signal } from '@preact/signals';
import type * as Leaflet from 'leaflet';
import type * as LeafletParts from './leaflet.ts';
import type { VehicleView } from '../client/stores.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function icon(L: typeof LeafletParts, vehicle: VehicleView, selected: boolean, stale: boolean) {
  const heading = vehicle.location?.heading;
  const arrow = heading === null || heading === undefined ? '<span class="taxi-dot"></span>' : `<span class="taxi-arrow" style="transform:rotate(${Math.round(heading)}deg)"></span>`;
  return L.divIcon({
    className: `taxi-marker status-${vehicle.status}${selected ? ' selected' : ''}${stale ? ' stale' : ''}`,
    html: `${arrow}<span class="taxi-plate">${escape(vehicle.plate)}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
}

export interface MarkerOptions {
  selected: Signal<string | null>;
  /** Whether the picked taxi should keep the map centred on it (until the map is dragged). */
  following: () => boolean;
  onSelect: (id: string) => void;
  /** Whether its last report is too old to show it as it was (read inside the marker's effect: the tab's clock ticks). */
  stale: (vehicle: VehicleView) => boolean;
  /** What a screen reader hears after the plate: the status, or how old the last report is. */
  label: (vehicle: VehicleView) => string;
}

/** Places and keeps updating one taxi's marker; returns the function that removes it. */
export function followTaxi(L: typeof LeafletParts, map: Leaflet.Map, vehicle: Signal<VehicleView>, o: MarkerOptions): () => void {
  let marker: Leaflet.Marker | null = null;
  const stop = effect(() => {
    const v = vehicle.value;
    const selected = o.selected.value === v.id;
    const stale = o.stale(v);
    if (!v.location) return;
    const at: [number, number] = [v.location.latitude, v.location.longitude];
    if (!marker) {
      marker = L.marker(at, { icon: icon(L, v, selected, stale), keyboard: true, title: v.plate, alt: v.plate, riseOnHover: true }).addTo(map);
      marker.on('click', () => o.onSelect(v.id));
    } else {
      marker.setLatLng(at);
      marker.setIcon(icon(L, v, selected, stale));
    }
    if (selected && o.following()) map.panTo(at);
    // Tests and assistive tools can read where the marker is without decoding CSS transforms.
    const element = marker.getElement();
    element?.setAttribute('data-vehicle-id', v.id);
    element?.setAttribute('data-position', `${at[0].toFixed(5)},${at[1].toFixed(5)}`);
    element?.setAttribute('aria-label', `${v.plate}, ${o.label(v)}`);
    if (stale) element?.setAttribute('data-stale', 'true');
    else element?.removeAttribute('data-stale');
  });
  return () => {
    stop();
    marker?.remove();
  };
}
