/** The formula with hand-worked figures: every expectation below is written out from the weights in score-formula.ts. */
import { describe, expect, it } from 'vitest';
import { computeScore, percentileOf, trendOf, type ActivityTotals } from './score-formula.ts';

const totals = (t: Partial<ActivityTotals>): ActivityTotals => ({
  km: 0,
  seconds: 0,
  incidents: [],
  speedingMinutes: 0,
  ...t,
});
const line = (r: ReturnType<typeof computeScore>, category: string) =>
  r.breakdown.find((b) => b.category === category)!;

describe('safety score formula', () => {
  it('gives no score, with a reason, to a driver who drove zero km (not 100, no division by zero)', () => {
    const r = computeScore(
      totals({ km: 0, seconds: 0, incidents: [{ type: 'PHONE_USAGE', severity: 'HIGH', count: 1 }] }),
    );
    expect(r).toMatchObject({ score: null, reason: 'no_driving', km: 0, incidents: 1, breakdown: [] });
  });

  it('is 100 for clean driving', () => {
    expect(computeScore(totals({ km: 12.5, seconds: 1200 })).score).toBe(100);
  });

  it('takes weighted incidents per 100 km and speeding minutes per hour off 100', () => {
    // 100 km, 2 h. PHONE_USAGE HIGH: 4 × 3 = 12 points; HARSH_BRAKING MEDIUM ×2: 2 × 2 × 2 = 8; per 100 km over 100 km: 12 and 8.
    // Speeding: 3 min in 2 h = 1.5 min/h × 2 = 3. Score = 100 − 12 − 8 − 3 = 77.
    const r = computeScore(
      totals({
        km: 100,
        seconds: 7200,
        incidents: [
          { type: 'PHONE_USAGE', severity: 'HIGH', count: 1 },
          { type: 'HARSH_BRAKING', severity: 'MEDIUM', count: 2 },
          { type: 'SPEEDING', severity: 'LOW', count: 1 },
        ],
        speedingMinutes: 3,
      }),
    );
    expect(r.score).toBe(77);
    expect(line(r, 'phone')).toEqual({ category: 'phone', events: 1, points: 12, rate: 12, penalty: 12 });
    expect(line(r, 'harsh')).toEqual({ category: 'harsh', events: 2, points: 8, rate: 8, penalty: 8 });
    expect(line(r, 'speeding')).toEqual({ category: 'speeding', events: 1, points: 3, rate: 1.5, penalty: 3 });
    expect(r.incidents).toBe(4);
  });

  it('scales per 100 km: the same incident on a short day costs more', () => {
    // DROWSINESS CRITICAL: 5 × 5 = 25 points; over 50 km that is 50 per 100 km → 50.
    expect(
      computeScore(
        totals({ km: 50, seconds: 3600, incidents: [{ type: 'DROWSINESS', severity: 'CRITICAL', count: 1 }] }),
      ).score,
    ).toBe(50);
    // Never below 0.
    expect(
      computeScore(totals({ km: 10, seconds: 600, incidents: [{ type: 'ACCIDENT', severity: 'CRITICAL', count: 1 }] }))
        .score,
    ).toBe(0);
  });

  it('ignores types that say nothing about driving (idling, empty seat, covered lens)', () => {
    const r = computeScore(
      totals({
        km: 30,
        seconds: 3600,
        incidents: [
          { type: 'IDLING', severity: 'LOW', count: 4 },
          { type: 'CAMERA_BLOCKED', severity: 'MEDIUM', count: 1 },
        ],
      }),
    );
    expect(r).toMatchObject({ score: 100, incidents: 0 });
  });

  it('trend and mid-rank percentile', () => {
    expect(trendOf(80, 90)).toBe(-10);
    expect(trendOf(80, null)).toBeNull();
    expect(percentileOf(null, [1, 2])).toBeNull();
    expect(percentileOf(70, [70])).toBe(50);
    // Four distinct scores: the best has 3 below and itself half → 3.5 / 4 = 87.5 → 88; the worst 0.5 / 4 → 13.
    expect(percentileOf(95, [60, 70, 80, 95, null])).toBe(88);
    expect(percentileOf(60, [60, 70, 80, 95])).toBe(13);
  });
});
