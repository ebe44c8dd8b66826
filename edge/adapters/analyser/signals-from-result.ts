/**
 * Reads the measurements the vision rules need (FrameSignals) out of human's detection result: which face is the
 * driver's, how open the eyes and mouth are, where the head points, whether a phone or people are in view.
 */
import type { FrameSignals } from '../../domain/vision/vision-verdict.ts';
import type { HumanFace, HumanResult, Point3 } from './human-library.ts';

// MediaPipe face-mesh landmark indices (the 468-point topology human's facemesh model uses).
// Each eye: two corners, then two upper/lower pairs across the lid opening.
const RIGHT_EYE = { corners: [33, 133], lids: [[160, 144], [158, 153]] } as const;
const LEFT_EYE = { corners: [362, 263], lids: [[385, 380], [387, 373]] } as const;
const INNER_LIPS = [13, 14] as const;
const MOUTH_CORNERS = [61, 291] as const;
const MESH_POINTS = 468;

export interface FrameFacts {
  width: number;
  height: number;
  brightness: number;
  objectsEnabled: boolean;
}

export function signalsFromResult(result: HumanResult, frame: FrameFacts): FrameSignals {
  const driver = driverFace(result.face, frame);
  const mesh = driver && driver.mesh.length >= MESH_POINTS ? driver.mesh : null;
  const angle = driver?.rotation?.angle;
  const people = result.object.filter((o) => o.label === 'person').length;
  const phones = result.object.filter((o) => o.label === 'cell phone').map((o) => o.score);
  return {
    face_found: driver !== null,
    face_score: driver ? round(clamp(driver.score, 0, 1), 3) : null,
    eye_openness: mesh ? round(clamp((eyeAspectRatio(mesh, RIGHT_EYE) + eyeAspectRatio(mesh, LEFT_EYE)) / 2, 0, 2), 3) : null,
    mouth_openness: mesh ? round(clamp(ratio(mesh, INNER_LIPS, MOUTH_CORNERS), 0, 5), 3) : null,
    head_yaw_deg: mesh && angle ? round(degrees(angle.yaw), 1) : null,
    head_pitch_deg: mesh && angle ? round(degrees(angle.pitch), 1) : null,
    phone_score: frame.objectsEnabled ? round(clamp(Math.max(0, ...phones), 0, 1), 3) : null,
    // The object model often misses a person seen as a close-up face, and the face model misses people seen
    // from behind: each is a lower bound, so the larger count is the better one.
    person_count: frame.objectsEnabled ? Math.max(people, result.face.length) : result.face.length,
    brightness: round(clamp(frame.brightness, 0, 255), 1),
  };
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
