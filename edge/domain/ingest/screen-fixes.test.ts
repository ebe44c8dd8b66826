import { describe, expect, it } from 'vitest';
import { screenFixes } from './screen-fixes.ts';
import type { FixInput } from './fix-input.ts';

const T0 = Date.parse('2026-06-01T07:00:00Z');
/** Metres north of a point in Dallas, per second. */
const fixAt = (seconds: number, metresNorth: number, extra: Partial<FixInput> = {}): FixInput => ({
  latitude: 32.95 + metresNorth / 111_195,
  longitude: -96.73,
  timestamp: new Date(T0 + seconds * 1000).toISOString(),
  ...extra,
});

describe('screenFixes (fix pipeline: jumps and derived speeds)', () => {
  it('derives speed and heading from positions when the device sent none, and keeps what it sent', () => {
    const { fixes, implausible } = screenFixes(null, [fixAt(0, 0), fixAt(1, 10), fixAt(2, 20, { speed: 33, heading: 90 })]);
    expect(implausible).toBe(0);
    expect(fixes[0].speed).toBeUndefined(); // nothing before it to measure from
    expect(fixes[1].speed).toBeCloseTo(36, 0); // 10 m in 1 s
    expect(fixes[1].heading).toBe(0); // northwards
    expect(fixes[2]).toMatchObject({ speed: 33, heading: 90 });
  });

  it('measures the first fix of a batch from the stored fix before it', () => {
    const { fixes } = screenFixes({ at: T0, lat: 32.95, lon: -96.73 }, [fixAt(2, 20)]);
    expect(fixes[0].speed).toBeCloseTo(36, 0);
  });

  it('drops a jump and judges the next fix against the last one kept, in device-time order', () => {
    const glitch = fixAt(2, 5_000); // 5 km in a second
    const { fixes, implausible } = screenFixes(null, [fixAt(3, 30), glitch, fixAt(0, 0), fixAt(1, 10)]);
    expect(implausible).toBe(1);
    expect(fixes.map((f) => f.timestamp)).toEqual([0, 1, 3].map((s) => new Date(T0 + s * 1000).toISOString()));
    expect(fixes[2].speed).toBeCloseTo(36, 0); // 20 m in 2 s from the fix before the glitch
  });

  it('drops a jump from the stored fix, and the same fix repeated in the batch with it', () => {
    const stored = { at: T0, lat: 32.95, lon: -96.73 };
    const far = fixAt(1, 2_000);
    expect(screenFixes(stored, [far, far])).toEqual({ fixes: [], implausible: 2 });
  });

  it('follows a unit that really moved once 30 s have passed without a fix it kept', () => {
    const stored = { at: T0, lat: 32.95, lon: -96.73 };
    const moved = [fixAt(10, 8_000), fixAt(31, 8_010), fixAt(32, 8_020)];
    const { fixes, implausible } = screenFixes(stored, moved);
    expect(implausible).toBe(1);
    expect(fixes[0].speed).toBeUndefined(); // no speed across the gap
    expect(fixes[1].speed).toBeCloseTo(36, 0);
  });

  it('gives no heading while the taxi stands still (noise around one spot)', () => {
    const { fixes } = screenFixes(null, [fixAt(0, 0), fixAt(1, 1)]);
    expect(fixes[1].speed).toBeCloseTo(3.6, 1);
    expect(fixes[1].heading).toBeUndefined();
  });

  it('passes a fix at the same device time as the stored one through, for storing to count as a duplicate', () => {
    const stored = { at: T0, lat: 32.95, lon: -96.73 };
    expect(screenFixes(stored, [fixAt(0, 0)]).fixes).toHaveLength(1);
  });
});
