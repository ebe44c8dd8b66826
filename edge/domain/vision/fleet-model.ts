/**
 * A fleet's own small model, learned from its reviews and labelled frames: multinomial logistic regression over the
 * frame features (frame-features.ts). Small (a weight per feature and label), deterministic (zero start, fixed
 * steps, no randomness: the same examples always give the same model) and explainable — a decision names the
 * features that pushed it, with their weight. Its accuracy is measured by 5-fold cross-validation, so the number shown
 * is on examples it was not fitted to. Pure.
 */
import { FEATURE_NAMES, type FeatureName, type FrameFeatures } from './frame-features.ts';

/** The label of a frame that shows nothing wrong. */
export const FINE = 'NONE';

export interface LabelledExample {
  features: FrameFeatures;
  /** An incident type, or FINE. */
  label: string;
}

export interface FleetModel {
  labels: string[];
  features: FeatureName[];
  means: number[];
  stds: number[];
  weights: number[][];
  bias: number[];
  examples: number;
  byLabel: Record<string, number>;
  /** Share of examples a model fitted without them labels right (5-fold cross-validation); null with too few. */
  accuracy: number | null;
}

export interface Prediction {
  label: string;
  probability: number;
  /** The features that pushed this decision most, strongest first (standardised value × weight difference). */
  reasons: { feature: FeatureName; value: number | null; weight: number }[];
}

const STEPS = 400;
const LEARNING_RATE = 0.5;
const L2 = 0.01;
const FOLDS = 5;
/** Cross-validation needs at least a few examples per fold. */
const MIN_FOR_ACCURACY = 10;

function standardiser(examples: LabelledExample[]): { means: number[]; stds: number[] } {
  const means: number[] = [];
  const stds: number[] = [];
  for (const name of FEATURE_NAMES) {
    const values = examples.map((e) => e.features[name]).filter((v): v is number => v !== null);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    const variance = values.length ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length : 0;
    means.push(mean);
    // A feature that never varies carries nothing; 1 keeps it at zero instead of dividing by zero.
    stds.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { means, stds };
}

/** Missing values become the average (0 after standardising): "not measured" pushes no decision. */
function vector(features: FrameFeatures, means: number[], stds: number[]): number[] {
  return FEATURE_NAMES.map((name, j) => {
    const v = features[name];
    return v === null ? 0 : (v - means[j]!) / stds[j]!;
  });
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function scores(model: Pick<FleetModel, 'weights' | 'bias'>, x: number[]): number[] {
  return model.weights.map((w, k) => model.bias[k]! + w.reduce((sum, wj, j) => sum + wj * x[j]!, 0));
}

function fit(examples: LabelledExample[], labels: string[]): Omit<FleetModel, 'examples' | 'byLabel' | 'accuracy'> {
  const { means, stds } = standardiser(examples);
  const xs = examples.map((e) => vector(e.features, means, stds));
  const ys = examples.map((e) => labels.indexOf(e.label));
  // Each label weighs the same in total, so a fleet with many "fine" reviews still learns its rare phone frames.
  const counts = labels.map((_, k) => ys.filter((y) => y === k).length);
  const sampleWeight = ys.map((y) => examples.length / (labels.length * counts[y]!));
  const weights = labels.map(() => FEATURE_NAMES.map(() => 0));
  const bias = labels.map(() => 0);
  for (let step = 0; step < STEPS; step++) {
    const gradW = labels.map(() => FEATURE_NAMES.map(() => 0));
    const gradB = labels.map(() => 0);
    for (let i = 0; i < xs.length; i++) {
      const p = softmax(scores({ weights, bias }, xs[i]!));
      for (let k = 0; k < labels.length; k++) {
        const error = (p[k]! - (ys[i] === k ? 1 : 0)) * sampleWeight[i]!;
        gradB[k]! += error;
        for (let j = 0; j < FEATURE_NAMES.length; j++) gradW[k]![j]! += error * xs[i]![j]!;
      }
    }
    for (let k = 0; k < labels.length; k++) {
      bias[k]! -= (LEARNING_RATE * gradB[k]!) / xs.length;
      for (let j = 0; j < FEATURE_NAMES.length; j++) weights[k]![j]! -= LEARNING_RATE * (gradW[k]![j]! / xs.length + L2 * weights[k]![j]!);
    }
  }
  return { labels, features: [...FEATURE_NAMES], means, stds, weights, bias };
}

function labelsOf(examples: LabelledExample[]): string[] {
  return [...new Set(examples.map((e) => e.label))].sort((a, b) => (a === FINE ? -1 : b === FINE ? 1 : a.localeCompare(b)));
}

/**
 * Fits the fleet's model; null until it has `minExamples` examples of at least two labels. Examples should come in a
 * stable order (e.g. by when they were labelled): the cross-validation folds follow it.
 */
export function fitFleetModel(examples: LabelledExample[], minExamples: number): FleetModel | null {
  const labels = labelsOf(examples);
  if (examples.length < minExamples || labels.length < 2) return null;
  const byLabel = Object.fromEntries(labels.map((l) => [l, examples.filter((e) => e.label === l).length]));
  return { ...fit(examples, labels), examples: examples.length, byLabel, accuracy: crossValidatedAccuracy(examples) };
}

/** Each example is predicted by a model fitted on the other folds; the share predicted right. */
export function crossValidatedAccuracy(examples: LabelledExample[]): number | null {
  if (examples.length < MIN_FOR_ACCURACY) return null;
  let right = 0;
  let judged = 0;
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = examples.filter((_, i) => i % FOLDS !== fold);
    const test = examples.filter((_, i) => i % FOLDS === fold);
    const labels = labelsOf(train);
    if (labels.length < 2 || test.length === 0) continue;
    const model = fit(train, labels);
    for (const example of test) {
      judged++;
      if (predict(model, example.features).label === example.label) right++;
    }
  }
  return judged === 0 ? null : Math.round((right / judged) * 1000) / 1000;
}

export function predict(model: Omit<FleetModel, 'examples' | 'byLabel' | 'accuracy'>, features: FrameFeatures): Prediction {
  const x = vector(features, model.means, model.stds);
  const p = softmax(scores(model, x));
  const best = p.indexOf(Math.max(...p));
  // Why this label rather than the runner-up: each feature's share of the difference between their scores.
  const runnerUp = p.map((v, k) => (k === best ? -1 : v)).indexOf(Math.max(...p.map((v, k) => (k === best ? -1 : v))));
  const reasons = model.features
    .map((feature, j) => ({ feature, value: features[feature], weight: Math.round((model.weights[best]![j]! - (model.weights[runnerUp]?.[j] ?? 0)) * x[j]! * 100) / 100 }))
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3);
  return { label: model.labels[best]!, probability: Math.round(p[best]! * 1000) / 1000, reasons };
}
