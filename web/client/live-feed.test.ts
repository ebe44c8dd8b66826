/**
 * The live connection's behaviour with a scripted EventSource (a browser's reconnection cannot run in Node; the
 * browser tests cover the real one): stores fed, Last-Event-ID resumption after a refused stream, states shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyToStores, startLiveFeed } from './live-feed.ts';
import { connection, incidentStatus, liveAlerts, unreadCount, vehicles } from './stores.ts';

class ScriptedSource {
  static opened: ScriptedSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (event: { data: string; lastEventId: string }) => void>();
  closed = false;
  constructor(readonly url: string) {
    ScriptedSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(type: string, id: string, data: unknown) {
    this.listeners.get(type)?.({ data: JSON.stringify(data), lastEventId: id });
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.();
  }
}

function start() {
  ScriptedSource.opened = [];
  const timers: Array<() => void> = [];
  let refreshes = 0;
  let ended = 0;
  const feed = startLiveFeed({
    EventSourceImpl: ScriptedSource as unknown as typeof EventSource,
    refreshSession: async () => (refreshes++, true),
    onSessionEnded: () => ended++,
    setTimer: (fn) => timers.push(fn),
  });
  return { feed, timers, refreshes: () => refreshes, ended: () => ended };
}

afterEach(() => {
  vehicles.clear();
  liveAlerts.value = [];
  unreadCount.value = 0;
  incidentStatus.value = {};
});

describe('live feed', () => {
  it('moves taxis, adds alerts once and counts them unread, and records incident changes', () => {
    const { feed } = start();
    const source = ScriptedSource.opened[0];
    source.open();
    expect(connection.value).toBe('open');
    source.emit('location_update', '10-0', { vehicle_id: 'v1', latitude: 40.1, longitude: -3.1, speed_kmh: 30, heading: 90, device_time: '2026-06-01T08:00:00Z' });
    source.emit('vehicle_status', '10-1', { vehicle_id: 'v1', plate: '1234ABC', status: 'moving' });
    expect(vehicles.get('v1')!.value).toEqual({ id: 'v1', plate: '1234ABC', status: 'moving', location: { latitude: 40.1, longitude: -3.1, speed_kmh: 30, heading: 90, device_time: '2026-06-01T08:00:00Z' } });
    const alert = { alert_id: 'a1', incident_id: 'i1', vehicle_id: 'v1', severity: 'HIGH', occurred_at: '2026-06-01T08:00:00Z' };
    source.emit('new_alert', '10-2', alert);
    source.emit('new_alert', '10-2', alert);
    expect(liveAlerts.value.map((a) => a.alert_id)).toEqual(['a1']);
    expect(unreadCount.value).toBe(1);
    source.emit('incident_updated', '10-3', { id: 'i1', status: 'false_positive' });
    expect(incidentStatus.value).toEqual({ i1: 'false_positive' });
    expect(feed.lastEventId()).toBe('10-3');
    feed.close();
  });

  it('leaves a dropped stream to the browser, which resends Last-Event-ID, while showing "reconnecting"', () => {
    const { feed, timers, refreshes } = start();
    ScriptedSource.opened[0].open();
    ScriptedSource.opened[0].fail(0);
    expect(connection.value).toBe('reconnecting');
    expect(timers).toHaveLength(0);
    expect(refreshes()).toBe(0);
    ScriptedSource.opened[0].open();
    expect(connection.value).toBe('open');
    feed.close();
  });

  it('after a refused stream refreshes the session and resumes from the last event id', async () => {
    const { feed, timers, refreshes } = start();
    const first = ScriptedSource.opened[0];
    first.open();
    first.emit('location_update', '17-4', { vehicle_id: 'v2', latitude: 1, longitude: 2, speed_kmh: null, heading: null, device_time: '2026-06-01T08:00:00Z' });
    first.fail(2);
    expect(connection.value).toBe('reconnecting');
    await new Promise((r) => setTimeout(r, 0));
    expect(refreshes()).toBe(1);
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(ScriptedSource.opened[1].url).toBe('/api/v1/live?head_event=1&last_event_id=17-4');
    feed.close();
  });

  it('resumes from the stream head it was told on connecting when refused before any event', async () => {
    const { feed, timers } = start();
    const first = ScriptedSource.opened[0];
    expect(first.url).toBe('/api/v1/live?head_event=1');
    first.open();
    first.emit('stream_head', '21-0', {});
    first.fail(2);
    await new Promise((r) => setTimeout(r, 0));
    timers[0]();
    expect(ScriptedSource.opened[1].url).toBe('/api/v1/live?head_event=1&last_event_id=21-0');
    feed.close();
  });

  it('stops for good when the server ends the session', () => {
    const { timers, ended } = start();
    const source = ScriptedSource.opened[0];
    source.open();
    source.emit('session_ended', '', { reason: 'credentials_revoked' });
    expect(connection.value).toBe('ended');
    expect(source.closed).toBe(true);
    expect(ended()).toBe(1);
    source.onerror?.();
    expect(timers).toHaveLength(0);
  });

  it('ignores events it does not know how to apply', () => {
    applyToStores('device_status', { device_id: 'd1', vehicle_id: 'v1', last_seen_at: '2026-12-05T00:00:00.000Z' });
    expect(vehicles.size).toBe(0);
  });
});
