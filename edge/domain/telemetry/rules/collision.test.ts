/** ACCIDENT candidates from speeds alone, on drives with explicit times: an impact, a harsh stop, and what is neither. */
import { describe, expect, it } from 'vitest';
import { runTelemetry } from '../run-telemetry.ts';
import { emptyTelemetryState } from '../telemetry-types.ts';
import { drive, seconds, T0, testSettings } from '../telemetry-test-drive.ts';

const run = (fixes: ReturnType<typeof drive>) => runTelemetry(emptyTelemetryState(), fixes, testSettings());
const accidents = (fixes: ReturnType<typeof drive>) => run(fixes).incidents.filter((i) => i.type === 'ACCIDENT');

describe('collision candidates', () => {
  it('an impact-like drop (50 → 10 km/h in a second, 11 m/s²) is an ACCIDENT candidate, CRITICAL, at that fix', () => {
    const [candidate, ...more] = accidents(drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 20 }, { kmh: 10, seconds: 1 }, { kmh: 10, seconds: 10 }]));
    expect(more).toHaveLength(0);
    expect(candidate).toMatchObject({ type: 'ACCIDENT', severity: 'CRITICAL', occurredAt: T0 + seconds(41) });
    expect(candidate!.description).toMatch(/Possible collision: 50 to 10 km\/h \(11\.1 m\/s²\)\. Accident candidate/);
  });

  it('a severe deceleration followed by a standstill within 5 s is a candidate, dated at the deceleration', () => {
    // 60 → 20 km/h in 2 s (5.6 m/s², severe but no impact), then standing 3 s later: motion ending abruptly.
    const fixes = drive([{ kmh: 60, seconds: 20 }, { kmh: 60, seconds: 20 }, { kmh: 20, seconds: 2 }, { kmh: 0, seconds: 3 }, { kmh: 0, seconds: 10 }]);
    const [candidate, ...more] = accidents(fixes);
    expect(more).toHaveLength(0);
    expect(candidate).toMatchObject({ severity: 'CRITICAL', occurredAt: T0 + seconds(41) });
    expect(candidate!.description).toContain('then stopped');
  });

  it('a severe deceleration after which the taxi drives on, or stops only later, is no candidate', () => {
    expect(accidents(drive([{ kmh: 60, seconds: 20 }, { kmh: 60, seconds: 20 }, { kmh: 20, seconds: 2 }, { kmh: 20, seconds: 30 }]))).toEqual([]);
    expect(accidents(drive([{ kmh: 60, seconds: 20 }, { kmh: 60, seconds: 20 }, { kmh: 20, seconds: 2 }, { kmh: 20, seconds: 10 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 5 }]))).toEqual([]);
  });

  it('normal stops, an emergency stop that slows to the end, a hard stop at walking pace, and unreported speeds make no candidate', () => {
    expect(accidents(drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 30 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 10 }]))).toEqual([]);
    // 75 → 0 km/h in 4 s (5.2 m/s²): HARSH_BRAKING, not a crash.
    expect(run(drive([{ kmh: 75, seconds: 20 }, { kmh: 75, seconds: 20 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 10 }])).incidents.map((i) => i.type)).toEqual(['HARSH_BRAKING']);
    expect(accidents(drive([{ kmh: 15, seconds: 10 }, { kmh: 15, seconds: 10 }, { kmh: 0, seconds: 1 }, { kmh: 0, seconds: 10 }]))).toEqual([]);
    expect(accidents(drive([{ kmh: 50, seconds: 20 }, { kmh: 50, seconds: 20 }, { kmh: 10, seconds: 1 }, { kmh: 10, seconds: 10 }], { reportSpeed: false }))).toEqual([]);
  });

  it('a drive cut into batches finds the same candidate (the pending deceleration is part of the state)', () => {
    const fixes = drive([{ kmh: 60, seconds: 20 }, { kmh: 60, seconds: 20 }, { kmh: 20, seconds: 2 }, { kmh: 0, seconds: 3 }, { kmh: 0, seconds: 10 }]);
    const first = runTelemetry(emptyTelemetryState(), fixes.slice(0, 43), testSettings());
    const second = runTelemetry(JSON.parse(JSON.stringify(first.state)), fixes.slice(43), testSettings());
    expect([...first.incidents, ...second.incidents].filter((i) => i.type === 'ACCIDENT').map((i) => i.occurredAt)).toEqual(accidents(fixes).map((i) => i.occurredAt));
  });
});
