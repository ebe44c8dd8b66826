/**
 * A camera's calibration, one frame at a time: while `calibrating`, frames taken as the taxi moves with the driver
 * in view are collected; with enough of them the baseline is learned and the camera is `ready`. A ready camera whose
 * picture keeps differing from its baseline (moved, turned, remounted) starts calibrating again. Pure: the frame
 * pipeline loads the state per device, passes each analysed frame through `calibrate`, and stores the result.
 */
import { baselineSample, learnBaseline, sceneSimilarity, type BaselineSample, type CameraBaseline } from './camera-baseline.ts';
import type { FrameSignals } from './frame-signals.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from './vision-rules.ts';

export interface CalibrationState {
  status: 'calibrating' | 'ready';
  baseline: CameraBaseline | null;
  /** Calibration frames collected so far (emptied once the baseline is learned). */
  samples: BaselineSample[];
  /** Consecutive frames whose picture differed from the baseline's. */
  shifted: number;
}

export const NEW_CALIBRATION: CalibrationState = { status: 'calibrating', baseline: null, samples: [], shifted: 0 };

export interface CalibrationFrame {
  signals: FrameSignals;
  /** The taxi's speed when the frame was taken (nearest GPS fix), null when unknown. */
  speedKmh: number | null;
  /** Something about this frame is already suspect (a finding, a telemetry event): not a normal posture. */
  suspect: boolean;
}

export type CalibrationEvent = 'learned' | 'picture_shifted' | null;

/** Whether this frame shows driving as usual: moving, the driver in view, nothing suspect. */
export function isCalibrationFrame(frame: CalibrationFrame, rules: VisionRules = DEFAULT_VISION_RULES): boolean {
  const s = frame.signals;
  const driverInView = s.face_found === true || s.body_found === true;
  return !frame.suspect && driverInView && frame.speedKmh !== null && frame.speedKmh >= rules.calibrationMinSpeedKmh;
}

/** Whether the picture differs from the baseline's: another view of the cabin, or the driver elsewhere or resized. */
export function pictureDiffers(sample: BaselineSample, baseline: CameraBaseline, rules: VisionRules = DEFAULT_VISION_RULES): boolean {
  if (sample.scene && baseline.scene && sceneSimilarity(sample.scene, baseline.scene) < rules.shiftSceneSimilarity) return true;
  if (sample.anchor && baseline.anchor && baseline.scale) {
    const moved = Math.hypot(sample.anchor.x - baseline.anchor.x, sample.anchor.y - baseline.anchor.y) / baseline.scale;
    if (moved > rules.shiftAnchorSizes) return true;
  }
  if (sample.scale && baseline.scale) {
    const ratio = sample.scale / baseline.scale;
    if (ratio > rules.shiftScaleRatio || ratio < 1 / rules.shiftScaleRatio) return true;
  }
  return false;
}

export function calibrate(state: CalibrationState, frame: CalibrationFrame, rules: VisionRules = DEFAULT_VISION_RULES): { state: CalibrationState; event: CalibrationEvent } {
  if (state.status === 'ready' && state.baseline) {
    // A dark or covered frame says nothing about where the camera points.
    const judged = frame.signals.scene !== null || frame.signals.face_found !== null;
    const differs = judged && pictureDiffers(baselineSample(frame.signals), state.baseline, rules);
    const shifted = differs ? state.shifted + 1 : 0;
    if (shifted >= rules.shiftFrames) return { state: NEW_CALIBRATION, event: 'picture_shifted' };
    return { state: { ...state, shifted }, event: null };
  }
  if (!isCalibrationFrame(frame, rules)) return { state, event: null };
  const samples = [...state.samples, baselineSample(frame.signals)];
  if (samples.length < rules.calibrationFrames) return { state: { ...state, status: 'calibrating', samples }, event: null };
  return { state: { status: 'ready', baseline: learnBaseline(samples), samples: [], shifted: 0 }, event: 'learned' };
}
