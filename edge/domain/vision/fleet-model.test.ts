/** The fleet's learned model: deterministic, honest about its held-out accuracy, and able to say why. */
import { describe, expect, it } from 'vitest';
import { crossValidatedAccuracy, fitFleetModel, FINE, predict, type LabelledExample } from './fleet-model.ts';
import { FEATURE_NAMES, type FrameFeatures } from './frame-features.ts';

const blank = Object.fromEntries(FEATURE_NAMES.map((n) => [n, null])) as FrameFeatures;
const example = (label: string, f: Partial<FrameFeatures>): LabelledExample => ({ label, features: { ...blank, driver_visible: 1, ...f } });
// Phone frames: a hand near the head; fine frames: hands far from it. A little overlap, as real labels have.
const examples = Array.from({ length: 30 }, (_, i) =>
  i % 2 ? example('PHONE_USAGE', { hand_near_head: 0.2 + (i % 7) * 0.05, head_drop: 0.1 }) : example(FINE, { hand_near_head: 1.2 + (i % 5) * 0.1, head_drop: 0 }),
);

describe('fleet model', () => {
  it('needs enough examples of at least two labels', () => {
    expect(fitFleetModel(examples.slice(0, 9), 10)).toBeNull();
    expect(fitFleetModel(examples.filter((e) => e.label === FINE), 10)).toBeNull();
  });

  it('learns a separable pattern, reports its cross-validated accuracy, and is deterministic', () => {
    const model = fitFleetModel(examples, 10)!;
    expect(model).toMatchObject({ labels: [FINE, 'PHONE_USAGE'], examples: 30, byLabel: { NONE: 15, PHONE_USAGE: 15 } });
    expect(model.accuracy).toBe(1);
    expect(fitFleetModel(examples, 10)).toEqual(model);
    const p = predict(model, { ...blank, driver_visible: 1, hand_near_head: 0.3 });
    expect(p).toMatchObject({ label: 'PHONE_USAGE' });
    expect(p.probability).toBeGreaterThan(0.8);
    expect(p.reasons[0]).toMatchObject({ feature: 'hand_near_head', value: 0.3 });
    expect(predict(model, { ...blank, driver_visible: 1, hand_near_head: 1.4 }).label).toBe(FINE);
  });

  it('measures accuracy on held-out examples: labels that carry no pattern score near chance, not 100 %', () => {
    const noise = Array.from({ length: 40 }, (_, i) => example(i % 2 ? 'PHONE_USAGE' : FINE, { hand_near_head: ((i * 7) % 10) / 10 }));
    expect(crossValidatedAccuracy(noise)!).toBeLessThan(0.75);
    expect(crossValidatedAccuracy(noise.slice(0, 9))).toBeNull();
  });

  it('reads a missing measurement as average: it pushes no decision', () => {
    const model = fitFleetModel(examples, 10)!;
    expect(predict(model, { ...blank, driver_visible: 1 }).reasons.find((r) => r.feature === 'hand_near_head')).toBeUndefined();
  });
});
