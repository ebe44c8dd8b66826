/**
 * Reads the measurements the vision rules need (FrameSignals) out of human's detection result: which face is the
 * driver's, how open the eyes and mouth are (and whether the mesh can be trusted for it), where the head points,
 * where the driver's shoulders, elbows and wrists are, what the hands hold, whether a phone or people are in view.
 * Positions are divided by the frame's longer side (see frame-signals.ts).
 */
import { BODY_POINTS, type BodyPoint, type FrameSignals, type HandSignals } from '../../domain/vision/frame-signals.ts';
import type { HumanModels } from './human-config.ts';
import type { HumanBody, HumanFace, HumanHand, HumanResult, Point3 } from './human-library.ts';

// MediaPipe face-mesh landmark indices (the 468-point topology human's facemesh model uses).
// Each eye: two corners, then two upper/lower pairs across the lid opening.
const RIGHT_EYE = { corners: [33, 133], lids: [[160, 144], [158, 153]] } as const;
const LEFT_EYE = { corners: [362, 263], lids: [[385, 380], [387, 373]] } as const;
const INNER_LIPS = [13, 14] as const;
const MOUTH_CORNERS = [61, 291] as const;
const MESH_POINTS = 468;

/**
 * When the eye ratio is not a measurement of the eyes: beyond this yaw one eye is foreshortened or hidden; two eyes
 * this different are not both measured right; no open eye is this tall for its width (frames and lenses of glasses
 * pull the mesh's lid points apart).
 */
export const EYE_TRUST = { maxYawDeg: 30, maxEyeDisagreement: 1.8, maxRatio: 0.55 };

// MoveNet's part names, as human reports them, for the points a cabin camera can see.
const MOVENET_PARTS: Record<string, BodyPoint> = {
  nose: 'nose', leftEye: 'left_eye', rightEye: 'right_eye', leftEar: 'left_ear', rightEar: 'right_ear',
  leftShoulder: 'left_shoulder', rightShoulder: 'right_shoulder', leftElbow: 'left_elbow', rightElbow: 'right_elbow',
  leftWrist: 'left_wrist', rightWrist: 'right_wrist', leftHip: 'left_hip', rightHip: 'right_hip',
};
/** A keypoint below this score is the model's guess, not a sighting. */
export const KEYPOINT_MIN_SCORE = 0.25;
/** A body is found when its score and at least this many keypoints (of the upper body) are sightings. */
const BODY_MIN_SCORE = 0.2;
const BODY_MIN_POINTS = 4;
/**
 * ...spread over at least this share of the frame's side: on a frame with nobody in it MoveNet can still return a
 * "body" whose keypoints are all piled on one spot (ear, shoulder and elbow a few pixels apart), sometimes scored
 * just over the thresholds above. A driver seen by a cabin camera spans a large part of the frame.
 */
const BODY_MIN_EXTENT = 0.05;

export interface FrameFacts {
  width: number;
  height: number;
  brightness: number;
  contrast: number;
  scene: number[];
  models: HumanModels;
}

export function signalsFromResult(result: HumanResult, frame: FrameFacts): FrameSignals {
  const side = Math.max(frame.width, frame.height) || 1;
  const driver = driverFace(result.face, frame);
  const mesh = driver && driver.mesh.length >= MESH_POINTS ? driver.mesh : null;
  const angle = driver?.rotation?.angle;
  const yaw = mesh && angle ? round(degrees(angle.yaw), 1) : null;
  const body = frame.models.pose ? bodyOf(result.body ?? [], side) : null;
  const people = result.object.filter((o) => o.label === 'person').length;
  const phones = result.object.filter((o) => o.label === 'cell phone').map((o) => o.score);
  return {
    face_found: driver !== null,
    face_score: driver ? round(clamp(driver.score, 0, 1), 3) : null,
    face_box: driver ? (driver.box.map((v) => round(clamp(v / side, 0, 1), 4)) as [number, number, number, number]) : null,
    eye_openness: mesh ? trustedEyeOpenness(mesh, yaw) : null,
    mouth_openness: mesh ? round(clamp(ratio(mesh, INNER_LIPS, MOUTH_CORNERS), 0, 5), 3) : null,
    head_yaw_deg: yaw,
    head_pitch_deg: mesh && angle ? round(degrees(angle.pitch), 1) : null,
    body_found: frame.models.pose ? body !== null : null,
    body,
    hands: frame.models.hands ? (result.hand ?? []).slice(0, 4).map((h) => handOf(h, side)) : null,
    phone_score: frame.models.objects ? round(clamp(Math.max(0, ...phones), 0, 1), 3) : null,
    // Each model is a lower bound on the people in view (the object model misses close-up faces, the face model
    // people seen from behind, the pose model reports one body): the largest count is the best one.
    person_count: Math.max(frame.models.objects ? people : 0, result.face.length, body ? 1 : 0),
    brightness: round(clamp(frame.brightness, 0, 255), 1),
    contrast: round(clamp(frame.contrast, 0, 255), 1),
    scene: frame.scene,
  };
}

/** The mean eye ratio of both eyes, or null when the mesh cannot be trusted for it (EYE_TRUST). */
export function trustedEyeOpenness(mesh: Point3[], yawDeg: number | null): number | null {
  if (yawDeg !== null && Math.abs(yawDeg) > EYE_TRUST.maxYawDeg) return null;
  const right = eyeAspectRatio(mesh, RIGHT_EYE);
  const left = eyeAspectRatio(mesh, LEFT_EYE);
  const [low, high] = right < left ? [right, left] : [left, right];
  // Both shut is agreement (two tiny ratios), so the disagreement test only applies to eyes that are open.
  if (high > 0.12 && high / Math.max(low, 0.01) > EYE_TRUST.maxEyeDisagreement) return null;
  const mean = (right + left) / 2;
  if (mean > EYE_TRUST.maxRatio) return null;
  return round(clamp(mean, 0, 2), 3);
}

/**
 * The driver's face: on a driver-facing camera it is the largest face, and the more central one when sizes are
 * close (a passenger leaning in sits at the edge of the frame).
 */
export function driverFace(faces: HumanFace[], frame: { width: number; height: number }): HumanFace | null {
  const halfDiagonal = Math.hypot(frame.width, frame.height) / 2 || 1;
  let best: HumanFace | null = null;
  let bestWeight = -1;
  for (const face of faces) {
    const [x, y, w, h] = face.box;
    const offCentre = Math.hypot(x + w / 2 - frame.width / 2, y + h / 2 - frame.height / 2) / halfDiagonal;
    const weight = w * h * (1 - 0.5 * Math.min(1, offCentre));
    if (weight > bestWeight) {
      best = face;
      bestWeight = weight;
    }
  }
  return best;
}

/** The most confident body, if it is a sighting: its upper-body keypoints that the model actually saw. */
function bodyOf(bodies: HumanBody[], side: number): FrameSignals['body'] {
  const best = [...bodies].sort((a, b) => b.score - a.score)[0];
  if (!best || best.score < BODY_MIN_SCORE) return null;
  const keypoints: NonNullable<FrameSignals['body']>['keypoints'] = {};
  for (const point of best.keypoints) {
    const name = MOVENET_PARTS[point.part];
    if (!name || point.score < KEYPOINT_MIN_SCORE) continue;
    keypoints[name] = [round(clamp(point.position[0]! / side, 0, 1), 4), round(clamp(point.position[1]! / side, 0, 1), 4), round(clamp(point.score, 0, 1), 3)];
  }
  const points = Object.values(keypoints);
  if (points.length < BODY_MIN_POINTS) return null;
  const extent = (axis: 0 | 1) => Math.max(...points.map((p) => p[axis])) - Math.min(...points.map((p) => p[axis]));
  if (Math.max(extent(0), extent(1)) < BODY_MIN_EXTENT) return null;
  return { score: round(clamp(best.score, 0, 1), 3), keypoints };
}

const CURL: Record<string, number> = { none: 0, half: 0.5, full: 1 };

function handOf(hand: HumanHand, side: number): HandSignals {
  const [x, y, w, h] = hand.box;
  const fingers = ['thumb', 'index', 'middle', 'ring', 'pinky'].map((f) => hand.landmarks?.[f]?.curl).filter((c): c is 'none' | 'half' | 'full' => c !== undefined);
  return {
    x: round(clamp((x + w / 2) / side, 0, 1), 4),
    y: round(clamp((y + h / 2) / side, 0, 1), 4),
    w: round(clamp(w / side, 0, 1), 4),
    h: round(clamp(h / side, 0, 1), 4),
    score: round(clamp(hand.score, 0, 1), 3),
    grip: fingers.length ? round(fingers.reduce((sum, c) => sum + CURL[c]!, 0) / fingers.length, 2) : null,
  };
}

/** Eye aspect ratio (Soukupová & Čech): lid gaps over eye width; ≈0.25–0.35 open, under ~0.15 closed. */
function eyeAspectRatio(mesh: Point3[], eye: { corners: readonly [number, number]; lids: readonly (readonly [number, number])[] }): number {
  const width = distance(mesh[eye.corners[0]], mesh[eye.corners[1]]);
  if (width === 0) return 0;
  const gaps = eye.lids.reduce((sum, [upper, lower]) => sum + distance(mesh[upper], mesh[lower]), 0);
  return gaps / (eye.lids.length * width);
}

function ratio(mesh: Point3[], gap: readonly [number, number], span: readonly [number, number]): number {
  const width = distance(mesh[span[0]], mesh[span[1]]);
  return width === 0 ? 0 : distance(mesh[gap[0]], mesh[gap[1]]) / width;
}

// In the image plane: the mesh's z is on another scale, and a camera sees the lids' gap in 2D.
function distance(a: Point3, b: Point3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function degrees(radians: number): number {
  return clamp((radians * 180) / Math.PI, -180, 180);
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export { BODY_POINTS };
