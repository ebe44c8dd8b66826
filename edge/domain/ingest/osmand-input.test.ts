import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import { osmandTime, parseOsmandJson, parseOsmandParams } from './osmand-input.ts';

const NOW = Date.parse('2026-06-01T08:00:00Z');
// Real requests from Traccar's OsmAnd protocol tests (traccar/traccar, Apache-2.0; see ../shared/data/LICENSES).
const FIXTURES = readFileSync(join(sharedDataDir(), 'gps/device-messages/traccar_osmand_http_queries.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('/?'))
  .map((line) => Object.fromEntries(new URLSearchParams(line.slice(2))));

describe('OsmAnd query and form reports', () => {
  it('reads every recorded Traccar request that carries a position, and refuses the one that has none', () => {
    const outcomes = FIXTURES.map((params) => {
      try {
        return parseOsmandParams(params, NOW);
      } catch (error) {
        return (error as AppError).code;
      }
    });
    expect(outcomes.filter((o) => o === 'validation_failed')).toHaveLength(1); // cell towers and wifi only
    for (const report of outcomes.filter((o) => typeof o === 'object')) {
      expect(report.fix).toEqual(expect.objectContaining({ latitude: expect.any(Number), longitude: expect.any(Number), timestamp: expect.stringMatching(/Z$/) }));
    }
  });

  it('converts knots to km/h and keeps bearing, altitude, accuracy and battery', () => {
    const report = parseOsmandParams({ id: 'twd_key', lat: '40.4168', lon: '-3.7038', timestamp: '1780300000', speed: '10', bearing: '91.5', altitude: '650', accuracy: '8', batt: '76.4' }, NOW);
    expect(report).toEqual({
      key: 'twd_key',
      fix: { latitude: 40.4168, longitude: -3.7038, speed: 18.5, heading: 91.5, altitude: 650, accuracy: 8, timestamp: '2026-06-01T07:46:40.000Z' },
      batteryPct: 76,
    });
  });

  it('reads location=lat,lon, deviceid, hacc and heading; drops an unknown (negative) speed', () => {
    expect(parseOsmandParams({ deviceid: 'k', location: '60.0,30.0', hacc: '5', heading: '10', speed: '-1' }, NOW)).toEqual({
      key: 'k',
      fix: { latitude: 60, longitude: 30, heading: 10, accuracy: 5, timestamp: new Date(NOW).toISOString() },
      batteryPct: null,
    });
  });

  it.each([
    ['1377177267', '2013-08-22T13:14:27.000Z'],
    ['1442068686579', '2015-09-12T14:38:06.579Z'],
    ['2016-01-27T18:55:47Z', '2016-01-27T18:55:47.000Z'],
    ['2014-06-04 09:10:11', '2014-06-04T09:10:11.000Z'],
  ])('reads the time %s', (value, iso) => expect(osmandTime(value, NOW)).toBe(iso));

  it('refuses an unreadable time', () => expect(() => osmandTime('yesterday', NOW)).toThrow(AppError));
});

describe('OsmAnd JSON reports (Traccar Client)', () => {
  it('converts m/s to km/h and reads the battery level', () => {
    const report = parseOsmandJson(
      { device_id: 'twd_key', location: { timestamp: '2026-06-01T07:59:00.000Z', coords: { latitude: 40.1, longitude: -3.1, speed: 10, heading: 270, altitude: 600, accuracy: 4 }, battery: { level: 0.42, is_charging: false } } },
      NOW,
    );
    expect(report).toEqual({ key: 'twd_key', fix: { latitude: 40.1, longitude: -3.1, speed: 36, heading: 270, altitude: 600, accuracy: 4, timestamp: '2026-06-01T07:59:00.000Z' }, batteryPct: 42 });
  });

  it('refuses a report without coordinates', () => expect(() => parseOsmandJson({ device_id: 'k', location: {} }, NOW)).toThrow(/lat and lon/));
});
