/**
 * The tab's one live connection: an EventSource on /api/v1/live (cookie session) feeding the stores. The browser
 * reconnects by itself after a dropped stream, sending Last-Event-ID; when the server refuses the stream (expired
 * access token) we refresh the session and reopen it with ?last_event_id=, backing off, so nothing is missed
 * within the server's replay window. "reconnecting" is shown while either happens.
 */
import { connection, incidentStatus, liveAlerts, unreadCount, upsertVehicle, type AlertView, type VehicleLocation } from './stores.ts';

type Listener = (type: string, data: any) => void;

export interface LiveFeedOptions {
  url?: string;
  EventSourceImpl?: typeof EventSource;
  refreshSession: () => Promise<boolean>;
  onSessionEnded: () => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export const LIVE_EVENTS = ['location_update', 'vehicle_status', 'new_alert', 'incident_updated', 'new_frame', 'device_status', 'driver_changed', 'session_ended'] as const;
const listeners = new Set<Listener>();

/** Islands that need raw events (beyond the stores) listen here; returns the unsubscribe function. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyToStores(type: string, data: any): void {
  if (type === 'location_update') {
    const { vehicle_id, latitude, longitude, speed_kmh, heading, device_time } = data as VehicleLocation & { vehicle_id: string };
    upsertVehicle(vehicle_id, { location: { latitude, longitude, speed_kmh, heading, device_time } });
  } else if (type === 'vehicle_status') {
    upsertVehicle(data.vehicle_id, { status: data.status, ...(data.plate ? { plate: data.plate } : {}) });
  } else if (type === 'new_alert') {
    const alert = data as AlertView;
    if (liveAlerts.value.some((a) => a.alert_id === alert.alert_id)) return;
    liveAlerts.value = [alert, ...liveAlerts.value].slice(0, 200);
    unreadCount.value++;
  } else if (type === 'incident_updated') {
    const id = data.incident_id ?? data.id;
    if (id) incidentStatus.value = { ...incidentStatus.value, [id]: data.status };
  }
}

export function startLiveFeed(options: LiveFeedOptions): { close(): void; lastEventId(): string | null } {
  const url = options.url ?? '/api/v1/live';
  const Source = options.EventSourceImpl ?? EventSource;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  let lastId: string | null = null;
  let source: EventSource | null = null;
  let failures = 0;
  let closed = false;

  const open = () => {
    if (closed) return;
    // head_event: the server names the stream's head as an event, so even a stream refused before its first event
    // resumes from there rather than from whatever is newest when it reopens.
    source = new Source(`${url}?head_event=1${lastId ? `&last_event_id=${encodeURIComponent(lastId)}` : ''}`, { withCredentials: true });
    source.onopen = () => {
      failures = 0;
      connection.value = 'open';
    };
    source.onerror = () => {
      if (closed) return;
      connection.value = 'reconnecting';
      // CONNECTING: the browser retries on its own with Last-Event-ID. CLOSED: it gave up (an HTTP error) — our turn.
      if (source?.readyState !== 2) return;
      source.close();
      failures++;
      const retry = () => setTimer(open, Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
      void options.refreshSession().then(retry, retry);
    };
    source.addEventListener('stream_head', (event) => {
      const id = (event as MessageEvent<string>).lastEventId;
      if (id) lastId = id;
    });
    for (const type of LIVE_EVENTS) {
      source.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastId = message.lastEventId;
        if (type === 'session_ended') {
          closed = true;
          source?.close();
          connection.value = 'ended';
          options.onSessionEnded();
          return;
        }
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        applyToStores(type, data);
        for (const listener of listeners) listener(type, data);
      });
    }
  };
  // Leaving the page closes the stream with an error: that is not a reason to reconnect or refresh anything.
  globalThis.addEventListener?.('pagehide', () => {
    closed = true;
    source?.close();
  });
  open();
  return {
    close() {
      closed = true;
      source?.close();
    },
    lastEventId: () => lastId,
  };
}
