/**
 * `--train <labelled folder>`: what a fleet would have learned from those frames — each camera's baseline (from its
 * safe frames, as self-calibration would learn it from normal driving) and the fleet's model fitted on every frame's
 * features against its camera's baseline. Cameras are told apart by a file-name prefix `<camera>__…` (frames without
 * one share the camera `default`).
 */
import { baselineSample, learnBaseline, type CameraBaseline } from '../../edge/domain/vision/camera-baseline.ts';
import { fitFleetModel, FINE, type FleetModel } from '../../edge/domain/vision/fleet-model.ts';
import { frameFeatures } from '../../edge/domain/vision/frame-features.ts';
import type { FrameSignals } from '../../edge/domain/vision/frame-signals.ts';
import { DEFAULT_VISION_RULES } from '../../edge/domain/vision/vision-rules.ts';
import { NO_INCIDENT } from './labels.ts';

export interface TrainingFrame {
  file: string;
  expected: string;
  signals: FrameSignals | null;
}

export interface Training {
  folder: string;
  frames: number;
  baselines: Map<string, CameraBaseline>;
  /** Every camera's safe frames together: for a test camera the training set does not know. */
  fallback: CameraBaseline | null;
  model: FleetModel | null;
}

/** `cam-a__0001.jpg` → `cam-a`; `0001.jpg` → `default`. */
export function cameraOf(file: string): string {
  const name = file.split('/').pop()!;
  const at = name.indexOf('__');
  return at > 0 ? name.slice(0, at) : 'default';
}

export function baselineFor(training: Training | null, file: string): CameraBaseline | null {
  if (!training) return null;
  return training.baselines.get(cameraOf(file)) ?? training.fallback;
}

export function train(folder: string, frames: TrainingFrame[]): Training {
  const safe = frames.filter((f) => f.expected === NO_INCIDENT && f.signals);
  const baselines = new Map<string, CameraBaseline>();
  for (const camera of new Set(safe.map((f) => cameraOf(f.file)))) {
    baselines.set(camera, learnBaseline(safe.filter((f) => cameraOf(f.file) === camera).map((f) => baselineSample(f.signals!))));
  }
  const fallback = safe.length ? learnBaseline(safe.map((f) => baselineSample(f.signals!))) : null;
  const training: Training = { folder, frames: frames.length, baselines, fallback, model: null };
  const examples = frames
    .filter((f) => f.signals)
    .map((f) => ({ label: f.expected === NO_INCIDENT ? FINE : f.expected, features: frameFeatures(f.signals!, baselineFor(training, f.file)) }));
  training.model = fitFleetModel(examples, DEFAULT_VISION_RULES.modelMinExamples);
  return training;
}
