/**
 * Thresholds that turn an offline model's signals into incidents, and the severity each rule carries.
 *
 * Severity (why each rule has the one it has):
 * - DROWSINESS: HIGH — eyes closing while driving precedes a crash by seconds; CRITICAL when the eyes stayed
 *   nearly shut (below `eyesShutRatio` of the driver's baseline) in every frame of a full window.
 * - PHONE_USAGE: HIGH — a phone seen in several frames is handling, not a passenger's glance.
 * - DISTRACTION: MEDIUM — head turned away for a sustained window; HIGH when every frame of a full window is away.
 * - YAWNING: LOW — an early sign of fatigue, worth a note, not an interruption; MEDIUM when it repeats in most frames.
 * - CAMERA_BLOCKED: MEDIUM — nothing else can be judged while the lens is covered, someone should look.
 * - NO_DRIVER: LOW — frames carry no motion, so a parked taxi with an empty seat looks the same as an unattended
 *   moving one; a telemetry event or the cloud model must raise it.
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
  /** A driver's baseline needs this many open-eyed frames; fewer → absolute threshold, uncertain. */
  baselineMinFrames: number;
  /** Eye openness above which a frame counts as open-eyed for the baseline (closed eyes are ≈ 0.05–0.15). */
  baselineOpenMin: number;
  /** Drowsy when eye openness < this fraction of the driver's own baseline. */
  drowsyRatio: number;
  /** Nearly shut: below this fraction of the baseline (CRITICAL over a full window). */
  eyesShutRatio: number;
  /** Without a baseline: eyes count as closed below this absolute ratio (conservative: only clearly shut eyes). */
  absoluteClosedEyes: number;
  /** Mouth opening relative to width above which a frame shows a yawn. */
  yawnMouthOpenness: number;
  /** Head yaw beyond ± this many degrees is looking away (a driver-facing camera). */
  distractionYawDeg: number;
  /** Head pitch beyond ± this many degrees (looking down at the lap, or up). */
  distractionPitchDeg: number;
  /** A phone object score at or above this is a sighting. */
  phoneScore: number;
  /** A lower score is still a hint worth a second look (uncertain). */
  phoneHintScore: number;
  /** Mean luminance at or below this is a covered or black lens. */
  blockedBrightness: number;
}

export const DEFAULT_VISION_RULES: VisionRules = {
  windowMs: 60_000,
  windowFrames: 4,
  minMatches: 3,
  briefMinMatches: 2,
  baselineMinFrames: 5,
  baselineOpenMin: 0.18,
  drowsyRatio: 0.65,
  eyesShutRatio: 0.4,
  absoluteClosedEyes: 0.12,
  yawnMouthOpenness: 0.6,
  distractionYawDeg: 35,
  distractionPitchDeg: 30,
  phoneScore: 0.6,
  phoneHintScore: 0.35,
  blockedBrightness: 12,
};
