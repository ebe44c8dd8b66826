/** The evidence window and the track's GeoJSON, with explicit instants. */
import { describe, expect, it } from 'vitest';
import { summariseAnalysis } from './incident-evidence.ts';
import { evidenceWindow } from './evidence-window.ts';
import { trackAsGeoJson } from './track-geojson.ts';

const t = (iso: string) => new Date(`2026-06-01T08:${iso}Z`);

describe('evidenceWindow', () => {
  it('runs from before the first occurrence to after the last', () => {
    expect(evidenceWindow({ occurred_at: t('00:30'), last_seen_at: t('02:00') })).toEqual({
      framesFrom: t('00:20'),
      framesTo: t('02:10'),
      trackFrom: new Date(Date.parse('2026-06-01T07:58:30Z')),
      trackTo: t('04:00'),
    });
  });

  it('never turns inside out when last_seen_at is before occurred_at', () => {
    const w = evidenceWindow({ occurred_at: t('01:00'), last_seen_at: t('00:00') }, { frameSecondsBefore: 0, frameSecondsAfter: 0, trackSecondsBefore: 5, trackSecondsAfter: 5 });
    expect([w.framesFrom, w.framesTo, w.trackFrom, w.trackTo]).toEqual([t('01:00'), t('01:00'), t('00:55'), t('01:05')]);
  });
});

describe('trackAsGeoJson', () => {
  const p = (at: string, latitude: number, longitude: number) => ({ at, latitude, longitude, speed_kmh: null, heading: null });

  it('writes positions longitude first', () => {
    expect(trackAsGeoJson([p('a', 40.1, -3.1), p('b', 40.2, -3.2)]).geometry).toEqual({ type: 'LineString', coordinates: [[-3.1, 40.1], [-3.2, 40.2]] });
  });

  it('has no geometry below two points', () => {
    expect(trackAsGeoJson([p('a', 40.1, -3.1)])).toEqual({ type: 'Feature', geometry: null, properties: { times: ['a'] } });
    expect(trackAsGeoJson([]).geometry).toBeNull();
  });
});

describe('summariseAnalysis', () => {
  it('reads the verdict at the top level or under verdict, and ignores fields of the wrong type', () => {
    expect(summariseAnalysis('done', { verdict: { incident_detected: false, type: null, severity: null, confidence: 0.2, description: 'ok' }, signals: {} })).toEqual({ status: 'done', incident_detected: false, type: null, severity: null, confidence: 0.2, description: 'ok' });
    expect(summariseAnalysis('done', { incident_detected: 'yes', confidence: '0.9', type: 'YAWNING' })).toMatchObject({ incident_detected: null, confidence: null, type: 'YAWNING' });
    expect(summariseAnalysis('failed', null)).toEqual({ status: 'failed', incident_detected: null, type: null, severity: null, confidence: null, description: null });
  });
});
