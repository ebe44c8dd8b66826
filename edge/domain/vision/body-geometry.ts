/**
 * Where the driver's head, shoulders and hands are in one frame, in units of the driver's own size (so the numbers
 * mean the same close to the lens or far from it): the geometry the rules and the fleet model read. Pure.
 */
import type { BodyPoint, FrameSignals } from './frame-signals.ts';

export interface Point {
  x: number;
  y: number;
}

export interface BodyGeometry {
  /** The driver's size: about a shoulder width, from whatever is visible (shoulders, head keypoints, face box). */
  scale: number;
  /** Centre of the head (face box centre, else the head keypoints' centre). */
  head: Point | null;
  /**
   * Midpoint of the shoulders, when both are seen: the anchor hands and head are measured from. One shoulder alone
   * is no anchor (the nose would seem to move sideways by half a body whenever the other one drops out of view).
   */
  shoulders: Point | null;
  /** Wrists the pose model saw, by side. */
  wrists: Partial<Record<'left' | 'right', Point>>;
  /** Nose (pose model), for head turn and drop relative to the shoulders. */
  nose: Point | null;
}

const HEAD_POINTS: BodyPoint[] = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'];

function point(signals: FrameSignals, name: BodyPoint): Point | null {
  const p = signals.body?.keypoints[name];
  return p ? { x: p[0], y: p[1] } : null;
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const mean = (points: Point[]): Point => ({ x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length });

/** Null when neither a face nor a body was seen: nothing to measure a driver by. */
export function bodyGeometry(signals: FrameSignals): BodyGeometry | null {
  const head = HEAD_POINTS.map((n) => point(signals, n)).filter((p): p is Point => p !== null);
  const shoulderPoints = (['left_shoulder', 'right_shoulder'] as const).map((n) => point(signals, n)).filter((p): p is Point => p !== null);
  const face = signals.face_box;
  if (head.length === 0 && shoulderPoints.length === 0 && !face) return null;

  // Each estimate is about a shoulder width: shoulders seen from the front; a head is about half of one in any
  // view (ear to ear from the front, ear to nose in profile); a face box about 0.6 of one. The largest wins, because
  // turning away or into profile only ever makes a width look smaller.
  let headSpan = 0;
  for (const a of head) for (const b of head) headSpan = Math.max(headSpan, distance(a, b));
  const estimates = [
    shoulderPoints.length === 2 ? distance(shoulderPoints[0]!, shoulderPoints[1]!) : 0,
    headSpan * 2,
    face ? Math.max(face[2], face[3]) / 0.6 : 0,
  ];
  const scale = Math.max(...estimates);
  if (!(scale > 0)) return null;

  const wrists: BodyGeometry['wrists'] = {};
  const left = point(signals, 'left_wrist');
  const right = point(signals, 'right_wrist');
  if (left) wrists.left = left;
  if (right) wrists.right = right;
  return {
    scale,
    head: face ? { x: face[0] + face[2] / 2, y: face[1] + face[3] / 2 } : head.length ? mean(head) : null,
    shoulders: shoulderPoints.length === 2 ? mean(shoulderPoints) : null,
    wrists,
    nose: point(signals, 'nose'),
  };
}

/** The hands to judge: the pose model's wrists, else the centres of the hand model's boxes near the driver. */
export function handPoints(signals: FrameSignals, geometry: BodyGeometry): Point[] {
  const wrists = Object.values(geometry.wrists);
  if (wrists.length > 0) return wrists;
  const reach = geometry.scale * 2.5;
  const anchor = geometry.shoulders ?? geometry.head;
  return (signals.hands ?? []).map((h) => ({ x: h.x, y: h.y })).filter((h) => !anchor || distance(h, anchor) <= reach);
}

export { distance };
