import { describe, expect, it } from 'vitest';
import { runTelemetry } from '../run-telemetry.ts';
import { emptyTelemetryState } from '../telemetry-types.ts';
import { drive, seconds, T0, testSettings } from '../telemetry-test-drive.ts';

const run = (fixes: ReturnType<typeof drive>, over = {}) => runTelemetry(emptyTelemetryState(), fixes, testSettings(over));
const types = (fixes: ReturnType<typeof drive>, over = {}) => run(fixes, over).incidents.map((i) => i.type);

describe('harsh braking and acceleration', () => {
  it('finds a hard stop from 50 km/h in 3 s (4.6 m/s²) once, at the fix where it happened', () => {
    const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 30 }, { kmh: 0, seconds: 3 }, { kmh: 0, seconds: 10 }]);
    const { incidents } = run(fixes);
    const braking = incidents.filter((i) => i.type === 'HARSH_BRAKING');
    expect(braking).toHaveLength(1);
    expect(braking[0].occurredAt).toBe(T0 + seconds(51));
    expect(braking[0].severity).toBe('MEDIUM');
    expect(braking[0].tripStartedAt).toBe(T0 + seconds(3)); // the first fix at moving speed (7.5 km/h)
  });

  it('leaves normal city driving alone (2 m/s² either way)', () => {
    expect(types(drive([{ kmh: 50, seconds: 8 }, { kmh: 50, seconds: 30 }, { kmh: 0, seconds: 8 }, { kmh: 0, seconds: 5 }]))).toEqual([]);
  });

  it('reports hard acceleration, and HIGH at 1.5× the threshold', () => {
    const { incidents } = run(drive([{ kmh: 60, seconds: 3 }, { kmh: 60, seconds: 10 }]));
    expect(incidents.map((i) => [i.type, i.severity])).toEqual([['HARSH_ACCELERATION', 'HIGH']]);
  });

  it('uses the fleet thresholds', () => {
    const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 0, seconds: 5 }, { kmh: 0, seconds: 5 }]);
    expect(types(fixes)).toEqual([]); // 2.8 m/s²
    expect(types(fixes, { harshBrakingMs2: 2.5 })).toEqual(['HARSH_BRAKING']);
  });

  it('ignores a speed change across a gap in the fixes', () => {
    const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 10 }]);
    const afterGap = drive([{ kmh: 0, seconds: 5 }], { startAt: fixes.at(-1)!.at + seconds(8), startKmh: 0, lat: fixes.at(-1)!.lat + 0.001 });
    expect(types([...fixes, ...afterGap])).toEqual([]);
  });

  it('ignores a speed spike the positions do not confirm (GPS noise)', () => {
    const fixes = drive([{ kmh: 40, seconds: 10 }, { kmh: 40, seconds: 20 }]);
    fixes[20] = { ...fixes[20], speedKmh: 5 }; // one bad Doppler reading: the taxi still covered 11 m in that second
    expect(types(fixes)).toEqual([]);
  });

  it('does not use speeds derived from positions, which jitter', () => {
    expect(types(drive([{ kmh: 50, seconds: 20 }, { kmh: 0, seconds: 2 }, { kmh: 0, seconds: 5 }], { reportSpeed: false }))).toEqual([]);
  });

  it('sorts late fixes into device-time order instead of braking across them', () => {
    const fixes = drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 60 }]);
    const shuffled = [...fixes.slice(40), ...fixes.slice(0, 40)];
    expect(types(shuffled)).toEqual([]);
  });
});
