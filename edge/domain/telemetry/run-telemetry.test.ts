import { describe, expect, it } from 'vitest';
import { runTelemetry } from './run-telemetry.ts';
import { emptyTelemetryState } from './telemetry-types.ts';
import { drive, testSettings } from './telemetry-test-drive.ts';

describe('the engine as a whole', () => {
  // A drive with a bit of everything: hard start, speeding, a hard stop, a long wait, and a second leg.
  const day = [
    ...drive([{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }, { kmh: 30, seconds: 60 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 12 * 60 }]),
  ];

  it('gives the same trips and incidents in one batch, in batches of 7, and with the batches arriving late and shuffled', () => {
    const settings = testSettings();
    const whole = runTelemetry(emptyTelemetryState(), day, settings);
    expect(whole.incidents.map((i) => i.type).sort()).toEqual(['HARSH_ACCELERATION', 'HARSH_BRAKING', 'IDLING', 'IDLING', 'SPEEDING']);
    expect(whole.trips.filter((t) => t.endedAt !== null)).toHaveLength(1);

    let state = emptyTelemetryState();
    const incidents = [];
    const trips = new Map<number, unknown>();
    for (let i = 0; i < day.length; i += 7) {
      const part = runTelemetry(state, day.slice(i, i + 7).reverse(), settings);
      state = part.state;
      incidents.push(...part.incidents);
      for (const trip of part.trips) trips.set(trip.startedAt, trip);
    }
    expect(incidents).toEqual(whole.incidents);
    expect([...trips.values()]).toEqual(whole.trips);
    expect(state).toEqual(whole.state);
  });

  it('ignores a fix that jumps kilometres in a second, and fixes it already processed', () => {
    const fixes = drive([{ kmh: 36, seconds: 6 }, { kmh: 36, seconds: 60 }]);
    const jump = { ...fixes[30], at: fixes[30].at + 500, lat: fixes[30].lat + 0.1 };
    const clean = runTelemetry(emptyTelemetryState(), fixes, testSettings());
    const noisy = runTelemetry(emptyTelemetryState(), [...fixes, jump], testSettings());
    expect(noisy.trips).toEqual(clean.trips);
    expect(runTelemetry(clean.state, fixes.slice(10), testSettings()).trips).toEqual(clean.trips);
  });

  it('reports a throwing rule and carries on with the others', () => {
    const fixes = drive([{ kmh: 70, seconds: 10 }, { kmh: 70, seconds: 60 }], { startKmh: 70 });
    const settings = testSettings();
    Object.defineProperty(settings, 'harshBrakingMs2', { get: () => { throw new Error('broken setting'); } });
    const result = runTelemetry(emptyTelemetryState(), fixes, settings);
    expect(result.ruleErrors.length).toBeGreaterThan(0);
    expect(result.ruleErrors.every((e) => e.rule === 'harshDriving')).toBe(true);
    expect(result.incidents.map((i) => i.type)).toEqual(['SPEEDING']);
    expect(result.trips).toHaveLength(1);
  });

  it('publishes motion changes with hysteresis, not on every wobble around the threshold', () => {
    const fixes = drive([{ kmh: 7, seconds: 3 }, { kmh: 4, seconds: 3 }, { kmh: 7, seconds: 3 }, { kmh: 1, seconds: 6 }]);
    expect(runTelemetry(emptyTelemetryState(), fixes, testSettings()).motion.map((m) => m.status)).toEqual(['stopped', 'moving', 'stopped']);
  });
});
