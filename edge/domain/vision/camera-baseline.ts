/**
 * A camera's normal picture of its driver (self-calibration): where the head points, where the hands rest, how
 * open the eyes are, where the driver sits in the frame and what the cabin looks like — the medians of frames taken
 * while the taxi moved normally. Rules measure deviation from it, so a camera beside the driver (who is then seen in
 * profile), in the centre or on the A-pillar all work. Pure: the pipeline stores it per device.
 */
import { bodyGeometry, type Point } from './body-geometry.ts';
import type { FrameSignals } from './frame-signals.ts';

/** What one calibration frame contributes (kept until the baseline is learned). */
export interface BaselineSample {
  head_yaw: number | null;
  head_pitch: number | null;
  eye_openness: number | null;
  /** Nose relative to the shoulders, in driver sizes. */
  nose_offset: Point | null;
  /** Wrists relative to the shoulders, in driver sizes. */
  wrists: Partial<Record<'left' | 'right', Point>>;
  /** Shoulders (or head) in the frame, and the driver's size: where the camera puts the driver. */
  anchor: Point | null;
  scale: number | null;
  scene: number[] | null;
}

export interface CameraBaseline extends BaselineSample {
  /** How many frames it was learned from. */
  samples: number;
}

export function baselineSample(signals: FrameSignals): BaselineSample {
  const g = bodyGeometry(signals);
  const anchor = g ? (g.shoulders ?? g.head) : null;
  // Hands and nose are measured from the shoulders only: an anchor that changes from frame to frame moves them.
  const relative = (p: Point) => ({ x: (p.x - g!.shoulders!.x) / g!.scale, y: (p.y - g!.shoulders!.y) / g!.scale });
  const wrists: BaselineSample['wrists'] = {};
  if (g?.shoulders) for (const side of ['left', 'right'] as const) if (g.wrists[side]) wrists[side] = relative(g.wrists[side]!);
  return {
    head_yaw: signals.head_yaw_deg,
    head_pitch: signals.head_pitch_deg,
    eye_openness: signals.eye_openness,
    nose_offset: g?.nose && g.shoulders ? relative(g.nose) : null,
    wrists,
    anchor,
    scale: g?.scale ?? null,
    scene: signals.scene,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A value counts only when at least this share of the samples measured it (a wrist seen once is no habit). */
const MIN_SHARE = 0.4;

function medianOf(samples: BaselineSample[], read: (s: BaselineSample) => number | null | undefined): number | null {
  const values = samples.map(read).filter((v): v is number => typeof v === 'number');
  return values.length >= Math.max(1, samples.length * MIN_SHARE) ? median(values) : null;
}

function medianPoint(samples: BaselineSample[], read: (s: BaselineSample) => Point | null | undefined): Point | null {
  const x = medianOf(samples, (s) => read(s)?.x);
  const y = medianOf(samples, (s) => read(s)?.y);
  return x === null || y === null ? null : { x, y };
}

export function learnBaseline(samples: BaselineSample[]): CameraBaseline {
  const scenes = samples.map((s) => s.scene).filter((s): s is number[] => s !== null);
  const wrists: CameraBaseline['wrists'] = {};
  for (const side of ['left', 'right'] as const) {
    const p = medianPoint(samples, (s) => s.wrists[side]);
    if (p) wrists[side] = p;
  }
  return {
    samples: samples.length,
    head_yaw: medianOf(samples, (s) => s.head_yaw),
    head_pitch: medianOf(samples, (s) => s.head_pitch),
    eye_openness: medianOf(samples, (s) => s.eye_openness),
    nose_offset: medianPoint(samples, (s) => s.nose_offset),
    wrists,
    anchor: medianPoint(samples, (s) => s.anchor),
    scale: medianOf(samples, (s) => s.scale),
    scene: scenes.length >= Math.max(1, samples.length * MIN_SHARE) ? scenes[0]!.map((_, i) => Math.round(median(scenes.map((s) => s[i]!))!)) : null,
  };
}

/** Pearson correlation of two thumbnails: 1 the same picture, whatever the exposure; near 0 another picture. */
export function sceneSimilarity(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 1;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  // A flat picture (a covered lens) says nothing about where the camera points.
  if (va === 0 || vb === 0) return 1;
  return cov / Math.sqrt(va * vb);
}
