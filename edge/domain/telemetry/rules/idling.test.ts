import { describe, expect, it } from 'vitest';
import { runTelemetry } from '../run-telemetry.ts';
import { emptyTelemetryState } from '../telemetry-types.ts';
import { drive, seconds, T0, testSettings } from '../telemetry-test-drive.ts';

const idlingOf = (fixes: ReturnType<typeof drive>, over = {}) => runTelemetry(emptyTelemetryState(), fixes, testSettings(over)).incidents.filter((i) => i.type === 'IDLING');

describe('long idling', () => {
  const driveThenWait = (waitS: number, stepS = 5) => {
    const moving = drive([{ kmh: 40, seconds: 10 }, { kmh: 40, seconds: 60 }, { kmh: 0, seconds: 10 }]);
    const last = moving.at(-1)!;
    const wait = drive([{ kmh: 0, seconds: waitS }], { startAt: last.at + seconds(stepS), stepS, lat: last.lat });
    return [...moving, ...wait];
  };

  it('reports a taxi at rest for 5 minutes inside a trip, dated when the rest began', () => {
    const found = idlingOf(driveThenWait(6 * 60));
    expect(found).toHaveLength(1);
    expect(found[0].occurredAt).toBe(T0 + seconds(79)); // 4 km/h, below moving speed
    expect(found[0].tripStartedAt).toBe(T0 + seconds(2));
  });

  it('leaves short stops (lights, pick-ups) alone, and honours the fleet setting', () => {
    expect(idlingOf(driveThenWait(3 * 60))).toEqual([]);
    expect(idlingOf(driveThenWait(3 * 60), { idleMinutes: 2 })).toHaveLength(1);
  });

  it('ignores a parked taxi that never started a trip', () => {
    expect(idlingOf(drive([{ kmh: 0, seconds: 20 * 60 }], { stepS: 5 }))).toEqual([]);
  });

  it('does not count a silent unit as idling', () => {
    expect(idlingOf(driveThenWait(6 * 60, 90))).toEqual([]);
  });
});
