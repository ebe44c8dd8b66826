/**
 * The tab's live state as @preact/signals: one signal per taxi (a position update re-renders only what shows that
 * taxi), the alerts seen, the unread count and the live connection's state. The live feed writes, islands read.
 */
import { signal, type Signal } from '@preact/signals';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'ended';

export interface VehicleLocation {
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
  device_time: string;
}

export interface VehicleView {
  id: string;
  plate: string;
  status: string;
  location: VehicleLocation | null;
}

export interface AlertView {
  alert_id: string;
  incident_id: string | null;
  vehicle_id: string | null;
  plate?: string | null;
  type?: string | null;
  severity: string;
  description?: string | null;
  message?: string | null;
  occurred_at: string;
  acknowledged_at?: string | null;
}

export const connection = signal<ConnectionState>('connecting');
/**
 * The server's time as this tab reckons it (the page's render time, moved on by the time elapsed since; set by
 * client/main.tsx a few times a minute): "last report 3 min ago" must not depend on a phone whose clock is wrong.
 * 0 until hydration is over, so islands first render the `now` the server rendered with.
 */
export const serverNow = signal(0);
export const vehicles = new Map<string, Signal<VehicleView>>();
/** Bumped when a taxi appears, so lists of taxis re-render; positions alone do not bump it. */
export const vehicleRoster = signal(0);
export const liveAlerts = signal<AlertView[]>([]);
export const unreadCount = signal(0);
/** Incident id → status changed live (acknowledged, resolved, false_positive, withdrawn). */
export const incidentStatus = signal<Record<string, string>>({});

export function upsertVehicle(id: string, change: Partial<VehicleView>): void {
  const existing = vehicles.get(id);
  if (existing) {
    existing.value = { ...existing.value, ...change };
    return;
  }
  vehicles.set(id, signal({ id, plate: change.plate ?? '…', status: change.status ?? 'unknown', location: change.location ?? null }));
  vehicleRoster.value++;
}
