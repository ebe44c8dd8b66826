/**
 * The frames a windowed vision rule looks at, and a driver's own eye-openness baseline: one frame is not enough to
 * call drowsiness or distraction, and eyes differ from one driver to the next.
 */
import type { FrameSignals } from './vision-verdict.ts';
import type { VisionRules } from './vision-rules.ts';

/** One analysed frame of a vehicle: when it was captured (ms since epoch) and what the model measured. */
export interface SignalSample {
  capturedAt: number;
  signals: FrameSignals;
}

/**
 * The current frame and the vehicle's frames just before it: at most `windowFrames`, none older than `windowMs`,
 * oldest first, the current one last. Frames captured after the current one (a late upload) are not its past.
 */
export function decisionWindow(current: SignalSample, history: SignalSample[], rules: VisionRules): SignalSample[] {
  const earlier = history
    .filter((h) => h.capturedAt < current.capturedAt && h.capturedAt >= current.capturedAt - rules.windowMs)
    .sort((a, b) => a.capturedAt - b.capturedAt)
    .slice(-(rules.windowFrames - 1));
  return [...earlier, current];
}

/**
 * The median eye openness of the vehicle's open-eyed frames before the decision window, or null when fewer than
 * `baselineMinFrames` exist. Window frames are left out so the episode being judged cannot lower its own yardstick.
 */
export function eyeBaseline(window: SignalSample[], history: SignalSample[], rules: VisionRules): number | null {
  const windowStart = window[0]!.capturedAt;
  const open = history
    .filter((h) => h.capturedAt < windowStart && h.signals.face_found !== false)
    .map((h) => h.signals.eye_openness)
    .filter((e): e is number => e !== null && e >= rules.baselineOpenMin)
    .sort((a, b) => a - b);
  if (open.length < rules.baselineMinFrames) return null;
  const mid = open.length >> 1;
  return open.length % 2 ? open[mid]! : (open[mid - 1]! + open[mid]!) / 2;
}

/**
 * How many window frames show a pattern. `matches` returns null when the frame did not measure what the rule
 * needs; such a frame neither counts for nor against it.
 */
export function countMatches(window: SignalSample[], matches: (s: FrameSignals) => boolean | null): { count: number; measured: number; current: boolean } {
  let count = 0;
  let measured = 0;
  for (const sample of window) {
    const m = matches(sample.signals);
    if (m === null) continue;
    measured++;
    if (m) count++;
  }
  return { count, measured, current: matches(window.at(-1)!.signals) === true };
}
