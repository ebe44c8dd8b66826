import { describe, expect, it } from 'vitest';
import { sharedDataDir } from './shared-data.ts';
import { loadFrames, loadTracks, parseTrackCsv } from './track-loader.ts';

describe('track loader', () => {
  it('reads the normalized CSV, thins 10 Hz recordings to one point a second, and keeps a missing speed missing', () => {
    const csv = ['timestamp_utc,lat,lon,speed_mps', '2018-08-02T16:14:48.000Z,37.1,-122.1,10', '2018-08-02T16:14:48.100Z,37.1001,-122.1,10', '2018-08-02T16:14:49.000Z,37.1002,-122.1,', 'garbage,,,', '2018-08-02T16:14:51.500Z,37.1003,-122.1,12.5'].join('\n');
    expect(parseTrackCsv('t', csv)).toEqual({
      name: 't',
      durationMs: 3500,
      points: [
        { t: 0, lat: 37.1, lon: -122.1, speedKmh: 36 },
        { t: 1000, lat: 37.1002, lon: -122.1, speedKmh: null },
        { t: 3500, lat: 37.1003, lon: -122.1, speedKmh: 45 },
      ],
    });
  });

  it('loads every recorded drive and the dashcam frames from the shared data, in place', () => {
    const dir = sharedDataDir();
    const tracks = loadTracks(dir);
    expect(tracks.length).toBeGreaterThanOrEqual(5);
    for (const track of tracks) expect(track.points.every((p, i) => i === 0 || p.t > track.points[i - 1].t)).toBe(true);
    const frames = loadFrames(dir);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f[0] === 0xff && f[1] === 0xd8)).toBe(true);
  });
});
