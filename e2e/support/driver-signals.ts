/**
 * Drivers as signals, for tests of the rules (and the eval's and benchmarks' fixtures): what the offline analyser
 * reports for a driver seen by a camera in front of them or beside them, calm or not. Positions in frame units.
 */
import { baselineSample, learnBaseline, type CameraBaseline } from '../../edge/domain/vision/camera-baseline.ts';
import { EMPTY_SIGNALS, type FrameSignals } from '../../edge/domain/vision/frame-signals.ts';

type Keypoints = NonNullable<FrameSignals['body']>['keypoints'];

/** A calm driver seen from the front: hands low on the wheel, head up, eyes open. */
export const FRONT_CALM: FrameSignals = {
  ...EMPTY_SIGNALS,
  face_found: true,
  face_score: 0.92,
  face_box: [0.44, 0.18, 0.12, 0.15],
  eye_openness: 0.3,
  mouth_openness: 0.1,
  head_yaw_deg: 2,
  head_pitch_deg: -4,
  body_found: true,
  body: {
    score: 0.8,
    keypoints: {
      nose: [0.5, 0.27, 0.9], left_ear: [0.55, 0.25, 0.8], right_ear: [0.45, 0.25, 0.8],
      left_shoulder: [0.6, 0.42, 0.8], right_shoulder: [0.4, 0.42, 0.8],
      left_wrist: [0.6, 0.62, 0.6], right_wrist: [0.4, 0.62, 0.6],
    },
  },
  hands: [],
  phone_score: null,
  person_count: 1,
  brightness: 118,
  contrast: 45,
  scene: Array.from({ length: 108 }, (_, i) => (i * 37) % 200),
};

/** The same driver calm, seen by a camera beside them: in profile (yaw −40°), one ear, shoulders overlapping. */
export const SIDE_CALM: FrameSignals = {
  ...FRONT_CALM,
  face_box: [0.3, 0.2, 0.1, 0.15],
  eye_openness: null, // profile: the mesh is not trusted for the eyes
  head_yaw_deg: -40,
  body: {
    score: 0.75,
    keypoints: { nose: [0.3, 0.28, 0.9], left_ear: [0.38, 0.26, 0.8], left_shoulder: [0.4, 0.45, 0.8], right_shoulder: [0.36, 0.46, 0.5], left_wrist: [0.22, 0.62, 0.6] },
  },
};

/** Moves one keypoint. */
export function withPoint(signals: FrameSignals, name: keyof Keypoints, x: number, y: number): FrameSignals {
  const keypoints = { ...signals.body!.keypoints, [name]: [x, y, 0.7] as [number, number, number] };
  return { ...signals, body: { ...signals.body!, keypoints } };
}

/** Drops keypoints (out of view). */
export function withoutPoints(signals: FrameSignals, ...names: (keyof Keypoints)[]): FrameSignals {
  const keypoints = { ...signals.body!.keypoints };
  for (const n of names) delete keypoints[n];
  return { ...signals, body: { ...signals.body!, keypoints } };
}

/** A baseline learned from `n` frames of the given calm driver (with a little jitter, as real frames have). */
export function baselineOf(calm: FrameSignals, n = 20): CameraBaseline {
  return learnBaseline(Array.from({ length: n }, (_, i) => baselineSample({ ...calm, head_yaw_deg: (calm.head_yaw_deg ?? 0) + ((i % 5) - 2), eye_openness: calm.eye_openness === null ? null : calm.eye_openness + ((i % 3) - 1) * 0.01 })));
}
