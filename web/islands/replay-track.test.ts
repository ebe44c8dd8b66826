import { describe, expect, it } from 'vitest';
import { clampIndex, indexAtTime, packTrack, pointInstant, speedSeries, thin, type ReplayPoint } from './replay-track.ts';

const START = Date.parse('2026-06-01T07:00:00Z');
const fix = (s: number, speed: number | null = 30) => ({ device_time: new Date(START + s * 1000).toISOString(), latitude: 40.4 + s / 1e5, longitude: -3.7, speed_kmh: speed, heading: 90.4 });

describe('replay track', () => {
  it('packs fixes relative to the trip start, giving a fix without speed the one its position implies', () => {
    const points = packTrack([fix(0), fix(2.5, null), fix(10)], START);
    expect(points).toEqual([
      [0, 40.4, -3.7, 30, 90],
      [2.5, 40.400025, -3.7, 4, 90], // 2.78 m in 2.5 s
      [10, 40.4001, -3.7, 30, 90],
    ]);
    expect(speedSeries(points)).toEqual([[0, 2.5, 10], [30, 4, 30]]);
    // The first fix has nothing before it, and a fix a minute after the last one is too far to measure from: gaps.
    expect(packTrack([fix(0, null), fix(70, null)], START).map((p) => p[3])).toEqual([null, null]);
  });

  it('thins a long track evenly, always keeping the first and the last fix', () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const kept = thin(items, 3000);
    expect(kept).toHaveLength(3000);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(10_000);
    expect(kept.every((v, i) => i === 0 || v > kept[i - 1])).toBe(true);
    expect(thin([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('maps a moment to the fix at or before it', () => {
    const points: ReplayPoint[] = [0, 5, 6, 20, 21].map((s) => [s, 0, 0, null, null]);
    expect(indexAtTime(points, -3)).toBe(0);
    expect(indexAtTime(points, 0)).toBe(0);
    expect(indexAtTime(points, 4.9)).toBe(0);
    expect(indexAtTime(points, 5)).toBe(1);
    expect(indexAtTime(points, 19)).toBe(2);
    expect(indexAtTime(points, 20.5)).toBe(3);
    expect(indexAtTime(points, 999)).toBe(4);
    expect(indexAtTime([], 3)).toBe(0);
  });

  it('turns any slider value into a valid fix index', () => {
    const points: ReplayPoint[] = [0, 1, 2].map((s) => [s, 0, 0, null, null]);
    expect(clampIndex(points, '1')).toBe(1);
    expect(clampIndex(points, 1.6)).toBe(2);
    expect(clampIndex(points, 99)).toBe(2);
    expect(clampIndex(points, -4)).toBe(0);
    expect(clampIndex(points, 'abc')).toBe(0);
    expect(pointInstant('2026-06-01T07:00:00.000Z', [90, 0, 0, null, null])).toBe('2026-06-01T07:01:30.000Z');
  });
});
