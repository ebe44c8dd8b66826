import { describe, expect, it } from 'vitest';
import { runTelemetry } from '../run-telemetry.ts';
import { emptyTelemetryState } from '../telemetry-types.ts';
import { drive, seconds, T0, testSettings } from '../telemetry-test-drive.ts';

const speedingOf = (fixes: ReturnType<typeof drive>, over = {}) => runTelemetry(emptyTelemetryState(), fixes, testSettings(over)).incidents.filter((i) => i.type === 'SPEEDING');

describe('speeding', () => {
  // Limit 50 + tolerance 5: 56 km/h and up counts.
  it('reports one incident per sustained episode, dated when it began', () => {
    const fixes = drive([{ kmh: 70, seconds: 10 }, { kmh: 70, seconds: 120 }, { kmh: 40, seconds: 10 }, { kmh: 40, seconds: 10 }], { startKmh: 40 });
    const found = speedingOf(fixes);
    expect(found).toHaveLength(1);
    expect(found[0].occurredAt).toBe(T0 + seconds(6)); // 40 → 70 km/h at 3 km/h per second: 58 km/h at 6 s
  });

  it('needs the excess to last the fleet’s minimum time', () => {
    const burst = drive([{ kmh: 60, seconds: 2 }, { kmh: 60, seconds: 20 }, { kmh: 45, seconds: 2 }, { kmh: 45, seconds: 5 }], { startKmh: 45 });
    expect(speedingOf(burst)).toEqual([]);
    expect(speedingOf(burst, { speedingMinSeconds: 10 })).toHaveLength(1);
  });

  it('grades by how far over the limit the peak was', () => {
    const grade = (kmh: number) => speedingOf(drive([{ kmh, seconds: 10 }, { kmh, seconds: 60 }], { startKmh: kmh }))[0].severity;
    expect([grade(60), grade(70), grade(90)]).toEqual(['LOW', 'MEDIUM', 'HIGH']);
  });

  it('does not bridge a gap in the fixes: two short stretches are not one sustained one', () => {
    const a = drive([{ kmh: 70, seconds: 20 }], { startKmh: 70 });
    const b = drive([{ kmh: 70, seconds: 20 }], { startKmh: 70, startAt: a.at(-1)!.at + seconds(120), lat: a.at(-1)!.lat + 0.02 });
    expect(speedingOf([...a, ...b])).toEqual([]);
  });
});
