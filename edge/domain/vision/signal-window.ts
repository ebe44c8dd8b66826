/**
 * The frames a windowed vision rule looks at: one frame is not enough to call drowsiness or distraction.
 */
import type { FrameSignals } from './frame-signals.ts';
import type { VisionRules } from './vision-rules.ts';

/** One analysed frame of a camera: when it was captured (ms since epoch) and what the model measured. */
export interface SignalSample {
  capturedAt: number;
  signals: FrameSignals;
}

/**
 * The current frame and the camera's frames just before it: at most `windowFrames`, none older than `windowMs`,
 * oldest first, the current one last. Frames captured after the current one (a late upload) are not its past.
 */
export function decisionWindow<T extends SignalSample>(current: T, history: T[], rules: Pick<VisionRules, 'windowMs' | 'windowFrames'>): T[] {
  const earlier = history
    .filter((h) => h.capturedAt < current.capturedAt && h.capturedAt >= current.capturedAt - rules.windowMs)
    .sort((a, b) => a.capturedAt - b.capturedAt)
    .slice(-(rules.windowFrames - 1));
  return [...earlier, current];
}
