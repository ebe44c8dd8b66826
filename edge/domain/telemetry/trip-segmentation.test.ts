import { describe, expect, it } from 'vitest';
import { runTelemetry } from './run-telemetry.ts';
import { emptyTelemetryState } from './telemetry-types.ts';
import { drive, seconds, T0, testSettings } from './telemetry-test-drive.ts';

const run = (fixes: ReturnType<typeof drive>, over = {}) => runTelemetry(emptyTelemetryState(), fixes, testSettings(over));

describe('trip segmentation', () => {
  it('starts at the first moving fix and ends when the rest that lasted 10 minutes began', () => {
    const fixes = drive([{ kmh: 36, seconds: 6 }, { kmh: 36, seconds: 294 }, { kmh: 0, seconds: 5 }, { kmh: 0, seconds: 11 * 60 }]);
    const { trips, state } = run(fixes);
    expect(trips).toHaveLength(1);
    const [trip] = trips;
    expect(trip.startedAt).toBe(T0 + seconds(1)); // 6 km/h
    expect(trip.endedAt).toBe(T0 + seconds(305));
    expect(trip.durationS).toBe(304);
    expect(trip.maxSpeedKmh).toBe(36);
    expect(trip.distanceM).toBeGreaterThan(2900); // ≈ 300 s × 10 m/s, less the ramps
    expect(trip.distanceM).toBeLessThan(3050);
    expect(trip.avgSpeedKmh).toBeCloseTo((trip.distanceM / 304) * 3.6, 0);
    expect(state.trip).toBeNull();
  });

  it('keeps one trip through a pick-up shorter than the stop time, and reports it open while it lasts', () => {
    const fixes = drive([{ kmh: 36, seconds: 6 }, { kmh: 36, seconds: 120 }, { kmh: 0, seconds: 6 }, { kmh: 0, seconds: 180 }, { kmh: 36, seconds: 6 }, { kmh: 36, seconds: 60 }]);
    const { trips } = run(fixes);
    expect(trips).toHaveLength(1);
    expect(trips[0].endedAt).toBeNull();
    expect(trips[0].durationS).toBe(377);
  });

  it('ends a trip at the last fix before a long silence and starts a new one after it', () => {
    const a = drive([{ kmh: 36, seconds: 6 }, { kmh: 36, seconds: 120 }]);
    const b = drive([{ kmh: 36, seconds: 60 }], { startKmh: 36, startAt: a.at(-1)!.at + seconds(15 * 60), lat: a.at(-1)!.lat + 0.05 });
    const { trips } = run([...a, ...b]);
    expect(trips.map((t) => [t.startedAt, t.endedAt])).toEqual([
      [T0 + seconds(1), a.at(-1)!.at],
      [b[0].at, null],
    ]);
  });

  it('discards GPS drift around a parked taxi instead of calling it a trip', () => {
    const fixes = drive([{ kmh: 0, seconds: 60 }], { stepS: 5 });
    fixes[4] = { ...fixes[4], speedKmh: 9 };
    const { trips, discardedTrips, state } = run([...fixes, ...drive([{ kmh: 0, seconds: 11 * 60 }], { startAt: fixes.at(-1)!.at + seconds(5), stepS: 5, lat: fixes.at(-1)!.lat })]);
    expect(trips).toEqual([]);
    expect(discardedTrips).toEqual([fixes[4].at]);
    expect(state.trip).toBeNull();
  });
});
