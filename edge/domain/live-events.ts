/**
 * The one contract for live events: event name → payload. Publishers (`publishLive`), the bus port, the SSE route's
 * filter, webhooks, notifications and the web client (bundled: this file has type-only imports) all read it, so
 * adding an event is one entry in `LiveEventPayloads` plus its name in `LIVE_EVENT_TYPES` — the compiler then points
 * at everything else (a list that misses or invents a name does not compile).
 *
 * Payloads are the JSON the SSE feed and webhooks carry: snake_case, times as ISO-8601 strings.
 */
import type { Severity } from '../db/schema.ts';

export interface LocationUpdateEvent {
  vehicle_id: string;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
  device_time: string;
}

export interface VehicleStatusEvent {
  vehicle_id: string;
  plate?: string | null;
  status: string;
  since: string;
}

/** An alert: from an incident (vision or telemetry), or a notice (key or licence expiry) without an incident. */
export interface NewAlertEvent {
  alert_id: string;
  incident_id: string | null;
  vehicle_id: string | null;
  plate: string | null;
  source: string;
  /** The incident type (PHONE_USE, HARSH_BRAKING, …); null for notices. */
  type: string | null;
  severity: Severity;
  occurred_at: string;
  trip_id?: string | null;
  frame_id?: string | null;
  confidence?: number | null;
  description?: string | null;
  /** Notices carry a message instead of a description, and what they are about. */
  message?: string;
  latitude?: number | null;
  longitude?: number | null;
  [detail: string]: unknown;
}

/** A change to an incident: reviewed (the whole incident row), merged, withdrawn, accident-checked, escalated. */
export interface IncidentUpdatedEvent {
  incident_id?: string;
  /** A reviewed incident is sent as its row, whose id is `id`. */
  id?: string;
  vehicle_id: string;
  status?: string;
  change?: 'merged' | 'accident_check' | 'escalated';
  severity?: Severity;
  [detail: string]: unknown;
}

export interface NewFrameEvent {
  frame_id: string;
  vehicle_id: string;
  device_id: string;
  captured_at: string;
  width: number;
  height: number;
  size_bytes: number;
}

export interface DeviceStatusEvent {
  device_id: string;
  vehicle_id: string;
  last_seen_at: string;
  firmware_version?: string;
  battery_pct?: number;
  rssi?: number;
  uptime_s?: number;
  queued_items?: number;
}

export interface DriverChangedEvent {
  vehicle_id: string;
  driver: { id: string; name: string; since: string } | null;
  changed_at: string;
}

export interface ReportReadyEvent {
  id: string;
  fleet_id: string;
  kind: 'daily' | 'on_demand';
  format: 'pdf' | 'csv' | 'xlsx';
  status: 'queued' | 'ready' | 'failed';
  from: string;
  to: string;
  vehicle_id: string | null;
  driver_id: string | null;
  language: string;
  pages: number | null;
  size_bytes: number | null;
  error: string | null;
  created_at: string;
  ready_at: string | null;
  expires_at: string | null;
  file_name: string | null;
  download_url: string | null;
  download_url_expires_at: string | null;
}

/** A driver entered the coaching queue (domain/scores/coaching.ts): announced once per driver and period. */
export interface CoachingDueEvent {
  driver_id: string;
  name: string;
  period: 'day' | 'week' | 'month';
  first_day: string;
  last_day: string;
  reasons: Array<'score_drop' | 'critical_incident'>;
  score: number | null;
  previous_score: number | null;
  trend: number | null;
  critical_incidents: number;
}

export interface LiveEventPayloads {
  location_update: LocationUpdateEvent;
  vehicle_status: VehicleStatusEvent;
  new_alert: NewAlertEvent;
  incident_updated: IncidentUpdatedEvent;
  new_frame: NewFrameEvent;
  device_status: DeviceStatusEvent;
  driver_changed: DriverChangedEvent;
  report_ready: ReportReadyEvent;
  coaching_due: CoachingDueEvent;
}

export type LiveEventType = keyof LiveEventPayloads;

/** A live event as a reader receives it: `type` narrows `data`. */
export type TypedLiveEvent = { [T in LiveEventType]: { type: T; data: LiveEventPayloads[T] } }[LiveEventType];

/** Every name once, for runtime lists (the client's listeners, the SSE route's filter, the docs). */
export const LIVE_EVENT_TYPES = [
  'location_update',
  'vehicle_status',
  'new_alert',
  'incident_updated',
  'new_frame',
  'device_status',
  'driver_changed',
  'report_ready',
  'coaching_due',
] as const satisfies readonly LiveEventType[];

// Fails to compile when LIVE_EVENT_TYPES misses a key of LiveEventPayloads.
type Missing = Exclude<LiveEventType, (typeof LIVE_EVENT_TYPES)[number]>;
const everyEventListed: [Missing] extends [never] ? true : Missing = true;
void everyEventListed;

export function isLiveEventType(name: string): name is LiveEventType {
  return (LIVE_EVENT_TYPES as readonly string[]).includes(name);
}

/** Reads an untyped (wire) event as the contract's union; the type names the payload. */
export function asTypedEvent(type: string, data: unknown): TypedLiveEvent | null {
  return isLiveEventType(type) ? ({ type, data } as TypedLiveEvent) : null;
}
