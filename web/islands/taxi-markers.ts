/**
 * Leaflet markers for taxis: an arrow turned to the heading, coloured by status, labelled with the plate. Each
 * marker follows its taxi's signal, so a location_update moves one marker without redrawing the others.
 */
import { effect, type Signal } from '@preact/signals';
import type * as Leaflet from 'leaflet';
import type { VehicleView } from '../client/stores.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function icon(L: typeof Leaflet, vehicle: VehicleView, selected: boolean) {
  const heading = vehicle.location?.heading;
  const arrow = heading === null || heading === undefined ? '<span class="taxi-dot"></span>' : `<span class="taxi-arrow" style="transform:rotate(${Math.round(heading)}deg)"></span>`;
  return L.divIcon({
    className: `taxi-marker status-${vehicle.status}${selected ? ' selected' : ''}`,
    html: `${arrow}<span class="taxi-plate">${escape(vehicle.plate)}</span>`,
    iconSize: [28, 28],
    iconAnchor: [14, 14],
  });
}

/** Places and keeps updating one taxi's marker; returns the function that removes it. */
export function followTaxi(L: typeof Leaflet, map: Leaflet.Map, vehicle: Signal<VehicleView>, selectedId: Signal<string | null>, onSelect: (id: string) => void): () => void {
  let marker: Leaflet.Marker | null = null;
  const stop = effect(() => {
    const v = vehicle.value;
    const selected = selectedId.value === v.id;
    if (!v.location) return;
    const at: [number, number] = [v.location.latitude, v.location.longitude];
    if (!marker) {
      marker = L.marker(at, { icon: icon(L, v, selected), keyboard: true, title: v.plate, alt: v.plate, riseOnHover: true }).addTo(map);
      marker.on('click', () => onSelect(v.id));
    } else {
      marker.setLatLng(at);
      marker.setIcon(icon(L, v, selected));
    }
    // Tests and assistive tools can read where the marker is without decoding CSS transforms.
    const element = marker.getElement();
    element?.setAttribute('data-vehicle-id', v.id);
    element?.setAttribute('data-position', `${at[0].toFixed(5)},${at[1].toFixed(5)}`);
    element?.setAttribute('aria-label', `${v.plate}, ${v.status}`);
  });
  return () => {
    stop();
    marker?.remove();
  };
}
