import { describe, expect, it } from 'vitest';
import { labelOfFolder } from './labels.ts';
import { computeMetrics, percentile, type Sample } from './metrics.ts';

const s = (expected: string, predicted: string, latencyMs = 10, costUsd = 0): Sample => ({ expected, predicted, latencyMs, costUsd });

describe('evaluation metrics', () => {
  it('scores a small three-class example by hand', () => {
    // safe: 3 frames, 1 wrongly flagged as phone. phone: 2 frames, 1 found, 1 missed. drowsy: 1 frame, called phone.
    const metrics = computeMetrics([
      s('NONE', 'NONE'),
      s('NONE', 'NONE'),
      s('NONE', 'PHONE_USAGE'),
      s('PHONE_USAGE', 'PHONE_USAGE'),
      s('PHONE_USAGE', 'NONE'),
      s('DROWSINESS', 'PHONE_USAGE'),
    ]);
    expect(metrics.confusion.labels).toEqual(['NONE', 'DROWSINESS', 'PHONE_USAGE']);
    expect(metrics.confusion.matrix).toEqual([
      [2, 0, 1],
      [0, 0, 1],
      [1, 0, 1],
    ]);
    const byLabel = Object.fromEntries(metrics.classes.map((c) => [c.label, c]));
    expect(byLabel.PHONE_USAGE).toMatchObject({ support: 2, predicted: 3, truePositives: 1 });
    expect(byLabel.PHONE_USAGE!.precision).toBeCloseTo(1 / 3, 12);
    expect(byLabel.PHONE_USAGE!.recall).toBe(0.5);
    expect(byLabel.NONE).toMatchObject({ support: 3, predicted: 3, truePositives: 2 });
    expect(byLabel.NONE!.precision).toBeCloseTo(2 / 3, 12);
    // Never predicted: precision undefined (null), not 0; recall 0 of 1.
    expect(byLabel.DROWSINESS).toMatchObject({ support: 1, predicted: 0, precision: null, recall: 0 });
    expect(metrics.accuracy).toBe(0.5);
    // 3 alarms raised (the PHONE_USAGE predictions), 2 of them on real incidents; 3 real incidents, 2 of them alarmed.
    expect(metrics.detection.precision).toBeCloseTo(2 / 3, 12);
    expect(metrics.detection.recall).toBeCloseTo(2 / 3, 12);
  });

  it('gives perfect scores to a perfect analyser and null where nothing can be said', () => {
    const metrics = computeMetrics([s('NONE', 'NONE'), s('NONE', 'NONE')]);
    expect(metrics.accuracy).toBe(1);
    expect(metrics.classes).toEqual([{ label: 'NONE', support: 2, predicted: 2, truePositives: 2, precision: 1, recall: 1 }]);
    expect(metrics.detection).toEqual({ precision: null, recall: null });
    const empty = computeMetrics([], 3);
    expect(empty).toMatchObject({ frames: 0, failures: 3, accuracy: null, classes: [], latencyMs: { p50: null, p95: null }, costUsd: { total: 0, perFrame: null } });
  });

  it('keeps a predicted type that no folder carries as its own column', () => {
    const metrics = computeMetrics([s('PHONE_USAGE', 'SMOKING')]);
    expect(metrics.confusion.labels).toEqual(['PHONE_USAGE', 'SMOKING']);
    expect(metrics.confusion.matrix).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(metrics.classes.find((c) => c.label === 'SMOKING')).toMatchObject({ support: 0, predicted: 1, precision: 0, recall: null });
  });

  it('reports nearest-rank latency percentiles and cost per frame', () => {
    const latencies = [120, 40, 10, 30, 20, 50, 60, 70, 80, 90, 100, 110, 130, 140, 150, 160, 170, 180, 190, 200];
    const metrics = computeMetrics(latencies.map((ms, i) => s('NONE', 'NONE', ms, i < 10 ? 0.0002 : 0)));
    expect(metrics.latencyMs).toEqual({ p50: 100, p95: 190, max: 200 });
    expect(metrics.costUsd.total).toBeCloseTo(0.002, 12);
    expect(metrics.costUsd.perFrame).toBeCloseTo(0.0001, 12);
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('folder labels', () => {
  it('maps the usual folder names to incident types and keeps unknown ones verbatim, upper-cased', () => {
    expect(['safe', 'none', 'phone', 'drowsy', 'yawn', 'distracted', 'accident', 'no_driver', 'blocked'].map(labelOfFolder)).toEqual([
      'NONE',
      'NONE',
      'PHONE_USAGE',
      'DROWSINESS',
      'YAWNING',
      'DISTRACTION',
      'ACCIDENT',
      'NO_DRIVER',
      'CAMERA_BLOCKED',
    ]);
    expect(labelOfFolder('Phone')).toBe('PHONE_USAGE');
    expect(labelOfFolder('smoking')).toBe('SMOKING');
  });
});
