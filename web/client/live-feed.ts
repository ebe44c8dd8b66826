/**
 * The tab's one live connection: an EventSource on /api/v1/live (cookie session) feeding the stores. The browser
 * reconnects by itself after a dropped stream, sending Last-Event-ID; when the server refuses the stream (expired
 * access token) we refresh the session and reopen it with ?last_event_id=, backing off, so nothing is missed
 * within the server's replay window. "reconnecting" is shown while either happens.
 */
import { asTypedEvent, LIVE_EVENT_TYPES, type LiveEventPayloads, type LiveEventType } from '../../edge/domain/live-events.ts';
import { connection, incidentStatus, liveAlerts, unreadCount, upsertVehicle } from './stores.ts';

/** (type, data) pairs of the live-event contract: checking `type` narrows `data`. */
export type LiveEventArgs = { [T in LiveEventType]: [type: T, data: LiveEventPayloads[T]] }[LiveEventType];
type Listener = (...args: LiveEventArgs) => void;

export interface LiveFeedOptions {
  url?: string;
  EventSourceImpl?: typeof EventSource;
  refreshSession: () => Promise<boolean>;
  onSessionEnded: () => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/** The contract's events, and the feed's own `session_ended` (the stream's end, not an event of a fleet). */
export const LIVE_EVENTS = [...LIVE_EVENT_TYPES, 'session_ended'] as const;
const listeners = new Set<Listener>();

/** Islands that need raw events (beyond the stores) listen here; returns the unsubscribe function. */
export function onLiveEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyToStores(...[type, data]: LiveEventArgs): void {
  if (type === 'location_update') {
    const { vehicle_id, latitude, longitude, speed_kmh, heading, device_time } = data;
    upsertVehicle(vehicle_id, { location: { latitude, longitude, speed_kmh, heading, device_time } });
  } else if (type === 'vehicle_status') {
    upsertVehicle(data.vehicle_id, { status: data.status, ...(data.plate ? { plate: data.plate } : {}) });
  } else if (type === 'new_alert') {
    const alert = data;
    if (liveAlerts.value.some((a) => a.alert_id === alert.alert_id)) return;
    liveAlerts.value = [alert, ...liveAlerts.value].slice(0, 200);
    unreadCount.value++;
  } else if (type === 'incident_updated') {
    const id = data.incident_id ?? data.id;
    if (id && data.status) incidentStatus.value = { ...incidentStatus.value, [id]: data.status };
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
        const typed = asTypedEvent(type, data);
        if (!typed) return;
        const args = [typed.type, typed.data] as LiveEventArgs;
        applyToStores(...args);
        for (const listener of listeners) listener(...args);
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
