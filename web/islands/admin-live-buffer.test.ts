import { describe, expect, it } from 'vitest';
import { emptyFeed, heldMatching, matches, pause, receive, resume, summarize, type FeedEntry } from './admin-live-buffer.ts';
import { labelOf } from '../i18n/labels.ts';
import { i18nFor } from '../i18n/messages.ts';

const entry = (n: number, type = 'location_update', fleetId = 'f1'): FeedEntry => ({ id: `${n}-0`, type, fleetId, at: '2026-06-01T08:00:00Z', summary: `#${n}` });
const ids = (entries: FeedEntry[]) => entries.map((e) => e.id);

describe('admin live feed buffer', () => {
  it('shows events newest first, bounded', () => {
    let state = emptyFeed();
    for (let n = 1; n <= 5; n++) state = receive(state, entry(n), 3);
    expect(ids(state.shown)).toEqual(['5-0', '4-0', '3-0']);
  });

  it('holds events while paused, counts them, and puts them on top in order on resume', () => {
    let state = receive(emptyFeed(), entry(1));
    state = pause(state);
    state = receive(state, entry(2));
    state = receive(state, entry(3, 'new_alert', 'f2'));
    expect(ids(state.shown)).toEqual(['1-0']);
    expect(state.heldCount).toBe(2);
    expect(heldMatching(state, { type: 'new_alert', fleetId: null })).toBe(1);
    expect(heldMatching(state, { type: null, fleetId: 'f1' })).toBe(1);
    state = resume(state);
    expect(state.paused).toBe(false);
    expect(state.heldCount).toBe(0);
    expect(ids(state.shown)).toEqual(['3-0', '2-0', '1-0']);
  });

  it('keeps counting past the held limit, and a resume keeps the newest', () => {
    let state = pause(emptyFeed());
    for (let n = 1; n <= 10; n++) state = receive(state, entry(n), 4);
    expect(state.heldCount).toBe(10);
    expect(state.held).toHaveLength(4);
    expect(ids(resume(state, 4).shown)).toEqual(['10-0', '9-0', '8-0', '7-0']);
  });

  it('filters by type and fleet', () => {
    expect(matches(entry(1, 'new_alert', 'f2'), { type: 'new_alert', fleetId: 'f2' })).toBe(true);
    expect(matches(entry(1, 'new_alert', 'f2'), { type: 'new_alert', fleetId: 'f1' })).toBe(false);
    expect(matches(entry(1, 'new_alert', 'f2'), { type: null, fleetId: null })).toBe(true);
  });

  it('summarises what an event is about', () => {
    expect(summarize('location_update', { vehicle_id: 'v1', latitude: 40.4, longitude: -3.7, speed_kmh: 42 })).toBe('v1 · 40.40000, -3.70000 · 42 km/h');
    expect(summarize('new_alert', { plate: '1234ABC', severity: 'HIGH', type: 'PHONE_USAGE', description: 'phone' })).toBe('1234ABC · HIGH · PHONE_USAGE · phone');
    expect(summarize('driver_changed', { vehicle_id: 'v1', driver: { id: 'd1', name: 'Ana', since: '2026-01-01T00:00:00Z' } })).toBe('v1 · Ana');
    expect(summarize('driver_changed', { vehicle_id: 'v2', driver: null })).toBe('v2 · —');
  });

  it('summarises severities, incident types and statuses in the page’s language when given labels', () => {
    const { t } = i18nFor('es');
    const label = (kind: 'severity' | 'itype' | 'istatus' | 'status', code: string) => labelOf(t, kind, code);
    expect(summarize('new_alert', { plate: '1234ABC', severity: 'HIGH', type: 'PHONE_USAGE', description: 'Se ve un móvil' }, label)).toBe('1234ABC · Alta · Uso del móvil · Se ve un móvil');
    expect(summarize('incident_updated', { plate: '1234ABC', severity: 'LOW', type: 'LANE_DEPARTURE', status: 'false_positive' }, label)).toBe('1234ABC · Baja · Lane departure · falso positivo');
    expect(summarize('vehicle_status', { plate: '1234ABC', status: 'moving' }, label)).toBe('1234ABC · en marcha');
  });
});
