import { describe, expect, it } from 'vitest';
import { distanceM } from '../../edge/domain/telemetry/geo.ts';
import { cyclePointNear, routeCycle, type RouteStep } from './route-cycle.ts';
import { sharedDataDir } from './shared-data.ts';
import type { Track } from './track-loader.ts';
import { loadCityRoutes } from './city-routes.ts';

const take = (steps: Generator<RouteStep>, n: number) => Array.from({ length: n }, () => steps.next().value as RouteStep);
const track: Track = { name: 'line', durationMs: 4000, points: [0, 1, 2, 3].map((i) => ({ t: i * 2000, lat: 32.9 + i * 0.0002, lon: -96.7, speedKmh: 40 })) };

describe('route cycle', () => {
  it('drives forwards, back and forwards again, one neighbour at a time', () => {
    const steps = take(routeCycle(track), 10);
    expect(steps.map((s) => s.point.lat)).toEqual([0, 1, 2, 3, 2, 1, 0, 1, 2, 3].map((i) => 32.9 + i * 0.0002));
    expect(steps.map((s) => s.offset)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18].map((s) => s * 1000));
  });

  it('rests switched off at each end, stopping and starting at speed 0', () => {
    const steps = take(routeCycle(track, { restMs: 600_000 }), 7);
    expect(steps.map((s) => s.offset / 1000)).toEqual([0, 2, 4, 6, 606, 608, 610]);
    expect(steps.map((s) => s.point.speedKmh)).toEqual([0, 40, 40, 0, 0, 40, 40]);
    expect(steps[3].point.lat).toBe(steps[4].point.lat); // switched on where it stopped
  });

  it('starts part way round the cycle, on the way back after half of it', () => {
    const [first, second] = take(routeCycle(track, { startAt: 0.5 }), 2);
    expect(first.point.lat).toBeCloseTo(32.9 + 3 * 0.0002);
    expect(second.point.lat).toBeCloseTo(32.9 + 2 * 0.0002);
  });

  it('never implies a city taxi faster than the recording on the Dallas routes, turns included', () => {
    for (const route of loadCityRoutes(sharedDataDir())) {
      const steps = take(routeCycle(route, { restMs: 60_000, startAt: 0.3 }), route.points.length * 3);
      const fastest = Math.max(...steps.slice(1).map((s, k) => (distanceM(steps[k].point, s.point) / ((s.offset - steps[k].offset) / 1000)) * 3.6));
      expect(fastest, route.name).toBeLessThan(120);
    }
  });

  it('keeps the city routes within one map of the city: at most 18 km either way, airport run included', () => {
    const points = loadCityRoutes(sharedDataDir()).flatMap((r) => r.points);
    const [lats, lons] = [points.map((p) => p.lat), points.map((p) => p.lon)];
    expect(distanceM({ lat: Math.min(...lats), lon: -96.8 }, { lat: Math.max(...lats), lon: -96.8 })).toBeLessThan(18_000);
    expect(distanceM({ lat: 32.9, lon: Math.min(...lons) }, { lat: 32.9, lon: Math.max(...lons) })).toBeLessThan(18_000);
  });

  it('finds where a taxi left off on its route, so a restart carries on from there', () => {
    const startAt = cyclePointNear(track, { lat: 32.9 + 2 * 0.0002 + 0.00001, lon: -96.7 })!;
    expect(routeCycle(track, { startAt }).next().value!.point.lat).toBeCloseTo(32.9 + 2 * 0.0002);
    expect(cyclePointNear(track, { lat: 33.5, lon: -96.7 })).toBeNull();
  });
});
