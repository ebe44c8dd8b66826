/**
 * Thresholds that turn an offline model's signals into findings. Distances are in driver sizes (about a shoulder
 * width, see body-geometry.ts) so they mean the same near the lens or far from it; angles are deviations from the
 * camera's own baseline (camera-baseline.ts), so a side-mounted camera that sees its driver in profile is not
 * "looking away". How serious a finding is, is not decided here: severity-policy.ts does that, for every analyser.
 */
export interface VisionRules {
  /** Frames older than this before the current one are outside the decision window. */
  windowMs: number;
  /** The window holds at most this many frames (the current one included). */
  windowFrames: number;
  /** How many frames of the window must show the pattern (the current one always must). */
  minMatches: number;
  /** Phones and yawns are brief: fewer frames confirm them than a sustained state such as drowsiness. */
  briefMinMatches: number;

  /** Calibration frames a camera needs before its baseline is used. */
  calibrationFrames: number;
  /** A frame counts for calibration only while the taxi moves at least this fast (km/h): driving posture. */
  calibrationMinSpeedKmh: number;
  /** The picture differs from the baseline's when the thumbnails correlate below this … */
  shiftSceneSimilarity: number;
  /** … or the driver sits this many driver sizes away from where they used to, or looks this much larger/smaller. */
  shiftAnchorSizes: number;
  shiftScaleRatio: number;
  /** This many shifted frames in a row mean the camera was moved: it calibrates again. */
  shiftFrames: number;

  /** A hand within this many driver sizes of the head centre is at the ear or the face. */
  handAtHeadSizes: number;
  /** A hand this far (driver sizes) from where it rests on the wheel has left it. */
  handMovedSizes: number;
  /** Head turned this many degrees away from the baseline's direction (mesh) … */
  headTurnDeg: number;
  /** … or pitched this much … */
  headPitchDeg: number;
  /** … or the nose this many driver sizes from its baseline place relative to the shoulders (pose model). */
  headTurnSizes: number;
  /** Head lowered this many driver sizes below its baseline (looking down at the lap). */
  headDropSizes: number;
  /** Drowsy when eye openness < this fraction of the baseline's. */
  drowsyRatio: number;
  /** Nearly shut: below this fraction of the baseline. */
  eyesShutRatio: number;
  /** Without a baseline, eyes count as closed only below this absolute ratio (and the finding is marked uncertain). */
  absoluteClosedEyes: number;
  /** Mouth opening relative to width above which a frame shows a yawn. */
  yawnMouthOpenness: number;
  /** A phone object score at or above this is a sighting; a lower one above `phoneHintScore` is a hint. */
  phoneScore: number;
  phoneHintScore: number;
  /** Mean luminance at or below this is a black lens … */
  blockedBrightness: number;
  /** … and luminance spread at or below this a covered one (tape, a finger), when nobody is seen. */
  blockedContrast: number;

  /** The fleet model decides a frame only with at least this many examples of at least two labels … */
  modelMinExamples: number;
  /** … and only when it is at least this sure. */
  modelMinProbability: number;
}

export const DEFAULT_VISION_RULES: VisionRules = {
  windowMs: 60_000,
  windowFrames: 4,
  minMatches: 3,
  briefMinMatches: 2,

  calibrationFrames: 20,
  calibrationMinSpeedKmh: 15,
  shiftSceneSimilarity: 0.5,
  shiftAnchorSizes: 0.8,
  shiftScaleRatio: 1.5,
  shiftFrames: 5,

  handAtHeadSizes: 0.55,
  handMovedSizes: 0.5,
  headTurnDeg: 30,
  headPitchDeg: 25,
  headTurnSizes: 0.3,
  headDropSizes: 0.25,
  drowsyRatio: 0.65,
  eyesShutRatio: 0.4,
  absoluteClosedEyes: 0.12,
  yawnMouthOpenness: 0.6,
  phoneScore: 0.6,
  phoneHintScore: 0.35,
  blockedBrightness: 12,
  blockedContrast: 6,

  modelMinExamples: 10,
  modelMinProbability: 0.6,
};
