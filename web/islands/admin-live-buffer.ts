/**
 * The admin live feed's list as plain data: newest first and bounded; while paused, new events are held (and
 * counted) instead of shown, and resuming puts them on top in order. Filters by type and fleet apply to what is
 * shown and to the held count. Pure functions, tested without a browser.
 */

export interface FeedEntry {
  /** Unique within the page (a local sequence number). */
  id: string;
  type: string;
  fleetId: string | null;
  at: string;
  summary: string;
}

export interface FeedState {
  shown: FeedEntry[];
  /** Held while paused, oldest first; at most `limit` (older ones would fall off the list on resume anyway). */
  held: FeedEntry[];
  /** Every event that arrived while paused, including those no longer held. */
  heldCount: number;
  paused: boolean;
}

export interface FeedFilter {
  type: string | null;
  fleetId: string | null;
}

export const FEED_LIMIT = 200;

export const emptyFeed = (): FeedState => ({ shown: [], held: [], heldCount: 0, paused: false });

export function receive(state: FeedState, entry: FeedEntry, limit = FEED_LIMIT): FeedState {
  if (state.paused) {
    const held = [...state.held, entry];
    return { ...state, held: held.length > limit ? held.slice(held.length - limit) : held, heldCount: state.heldCount + 1 };
  }
  return { ...state, shown: [entry, ...state.shown].slice(0, limit) };
}

export const pause = (state: FeedState): FeedState => ({ ...state, paused: true });

export function resume(state: FeedState, limit = FEED_LIMIT): FeedState {
  return { shown: [...[...state.held].reverse(), ...state.shown].slice(0, limit), held: [], heldCount: 0, paused: false };
}

export const matches = (entry: FeedEntry, filter: FeedFilter) => (!filter.type || entry.type === filter.type) && (!filter.fleetId || entry.fleetId === filter.fleetId);

/** How many held events the current filter would show; counts those no longer held only when nothing is filtered. */
export function heldMatching(state: FeedState, filter: FeedFilter): number {
  if (!filter.type && !filter.fleetId) return state.heldCount;
  return state.held.filter((e) => matches(e, filter)).length;
}

/** Reads a code (severity, incident type, status) in the page's language; the identity keeps the codes. */
export type CodeLabel = (kind: 'severity' | 'itype' | 'istatus' | 'status', code: string) => string;

/** One line that says what an event is about, from the fields the feed's events carry. */
export function summarize(type: string, data: Record<string, unknown>, label: CodeLabel = (_, code) => code): string {
  const parts: string[] = [];
  const add = (value: unknown, suffix = '') => value !== null && value !== undefined && value !== '' && parts.push(`${String(value)}${suffix}`);
  add(data.plate ?? data.vehicle_id);
  if (type === 'location_update') {
    add(typeof data.latitude === 'number' && typeof data.longitude === 'number' ? `${data.latitude.toFixed(5)}, ${data.longitude.toFixed(5)}` : null);
    add(data.speed_kmh, ' km/h');
  } else if (type === 'new_alert' || type === 'incident_updated') {
    const code = (kind: Parameters<CodeLabel>[0], value: unknown) => (typeof value === 'string' && value ? label(kind, value) : value);
    add(code('severity', data.severity));
    add(code('itype', data.type));
    add(code('istatus', data.status));
    add(data.description ?? data.message);
  } else if (type === 'driver_changed') {
    const driver = data.driver as { name?: string } | null;
    add(driver?.name ?? '—');
  } else {
    add(typeof data.status === 'string' && type === 'vehicle_status' ? label('status', data.status) : data.status);
    add(data.frame_id ?? data.device_id);
    add(data.battery_pct, ' %');
  }
  return parts.join(' · ');
}
