/**
 * The numbers a frame is judged by — by the rules and by the fleet's learned model alike — computed from its signals
 * and, where the camera is calibrated, its baseline: where the hands are relative to the head and to where they
 * usually rest, how far the head turned or dropped from its usual direction, how open the eyes are relative to the
 * driver's own. Null means "not measured" (never a guess): rules skip it, the model reads it as average.
 */
import { bodyGeometry, distance, handPoints, type Point } from './body-geometry.ts';
import { baselineSample, type CameraBaseline } from './camera-baseline.ts';
import type { FrameSignals } from './frame-signals.ts';

export const FEATURE_NAMES = [
  'driver_visible',
  'hand_near_head',
  'hand_raised',
  'hand_grip',
  'hands_moved',
  'hands_missing',
  'head_turn_deg',
  'head_pitch_deg',
  'head_turn',
  'head_drop',
  'eyes_ratio',
  'eye_openness',
  'mouth_openness',
  'phone_score',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FrameFeatures = Record<FeatureName, number | null>;

const round = (n: number | null) => (n === null || !Number.isFinite(n) ? null : Math.round(n * 1000) / 1000);

export function frameFeatures(signals: FrameSignals, baseline: CameraBaseline | null): FrameFeatures {
  const g = bodyGeometry(signals);
  const hands = g ? handPoints(signals, g) : [];
  const nearHead = g?.head && hands.length ? Math.min(...hands.map((h) => distance(h, g.head!))) / g.scale : null;
  const raised = g?.shoulders && hands.length ? Math.max(...hands.map((h) => (g.shoulders!.y - h.y) / g.scale)) : null;
  const grips = (signals.hands ?? []).map((h) => h.grip).filter((v): v is number => v !== null);

  const now = baselineSample(signals);
  let handsMoved: number | null = null;
  let handsMissing: number | null = null;
  if (baseline && g) {
    const sides = (['left', 'right'] as const).filter((side) => baseline.wrists[side]);
    const moved = sides.filter((side) => now.wrists[side]).map((side) => distance(now.wrists[side]!, baseline.wrists[side]!));
    handsMoved = moved.length ? Math.max(...moved) : null;
    // Only when the pose model found the driver: a wrist it did not see then has left its usual place (below the
    // dashboard, say); with no body found at all, nothing is known about the wrists.
    handsMissing = signals.body_found === true && sides.length ? sides.filter((side) => !now.wrists[side]).length : null;
  }
  const delta = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : a - b);
  const noseDelta = (axis: keyof Point) => (now.nose_offset && baseline?.nose_offset ? now.nose_offset[axis] - baseline.nose_offset[axis] : null);
  const abs = (n: number | null) => (n === null ? null : Math.abs(n));

  return {
    driver_visible: driverVisible(signals),
    hand_near_head: round(nearHead),
    hand_raised: round(raised),
    hand_grip: grips.length ? Math.max(...grips) : null,
    hands_moved: round(handsMoved),
    hands_missing: handsMissing,
    head_turn_deg: round(abs(delta(signals.head_yaw_deg, baseline?.head_yaw))),
    head_pitch_deg: round(abs(delta(signals.head_pitch_deg, baseline?.head_pitch))),
    head_turn: round(abs(noseDelta('x'))),
    // Positive: the nose is lower relative to the shoulders than usual (the frame's y grows downwards).
    head_drop: round(noseDelta('y')),
    eyes_ratio: round(signals.eye_openness !== null && baseline?.eye_openness ? signals.eye_openness / baseline.eye_openness : null),
    eye_openness: signals.eye_openness,
    mouth_openness: signals.mouth_openness,
    phone_score: signals.phone_score,
  };
}

/** 1 when a face, a body or a person is seen; 0 only when every model that looked saw nobody; null when none looked. */
export function driverVisible(s: FrameSignals): 0 | 1 | null {
  if (s.face_found === true || s.body_found === true || (s.person_count ?? 0) > 0) return 1;
  if (s.face_found === null && s.body_found === null) return null;
  return 0;
}
