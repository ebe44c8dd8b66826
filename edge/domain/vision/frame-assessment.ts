/**
 * What one frame shows, rule by rule — before any window: for each incident type whether this frame matches it (null:
 * not measured), with the detail the severity policy needs (a phone at the ear or looked at; eyes closing or shut),
 * and whether the driver is confidently attentive (the only frames a cascade answers without the cloud).
 *
 * Rules that compare with the camera's normal picture (hands left the wheel, head turned or dropped, eyes narrower
 * than usual) need its baseline: without one the camera is calibrating, and only rules that hold from any camera
 * position run (a hand at the head, a phone, eyes clearly shut, a yawn, nobody in view, a covered lens).
 * A fleet model with enough examples decides the frame where it is sure; its reasons are kept for the explanation.
 */
import type { CameraBaseline } from './camera-baseline.ts';
import { predict, FINE, type FleetModel, type Prediction } from './fleet-model.ts';
import { frameFeatures, type FrameFeatures } from './frame-features.ts';
import type { FrameSignals } from './frame-signals.ts';
import { defaultDetail, type FindingDetail } from './severity-policy.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from './vision-rules.ts';
import type { VisionIncidentType } from './vision-verdict.ts';

export interface FrameMatch {
  /** null: this frame did not measure what the rule needs (it neither counts for nor against it). */
  match: boolean | null;
  detail: FindingDetail;
}

export interface FrameAssessment {
  features: FrameFeatures;
  calibrating: boolean;
  matches: Partial<Record<VisionIncidentType, FrameMatch>>;
  /** A weak sighting (a low phone score): no match, but worth a second look. */
  hints: VisionIncidentType[];
  /** Hands where they belong, head near its usual direction, eyes open: the cloud need not look. */
  attentive: boolean;
  decidedBy: 'rules' | 'fleet_model';
  /** When the fleet model decided: what it said, and why. */
  prediction: Prediction | null;
}

export interface AssessmentContext {
  baseline: CameraBaseline | null;
  model?: FleetModel | null;
  rules?: VisionRules;
}

const atLeast = (value: number | null, threshold: number) => (value === null ? null : value >= threshold);
const below = (value: number | null, threshold: number) => (value === null ? null : value < threshold);
const any = (...values: (boolean | null)[]) => (values.some((v) => v === true) ? true : values.every((v) => v === null) ? null : false);

export function assessFrame(signals: FrameSignals, context: AssessmentContext): FrameAssessment {
  const rules = context.rules ?? DEFAULT_VISION_RULES;
  const baseline = context.baseline;
  const f = frameFeatures(signals, baseline);
  const matches: FrameAssessment['matches'] = {};

  // A black or covered lens hides everything else: the other rules would only echo it as "no driver".
  const dark = signals.brightness === null ? null : signals.brightness <= rules.blockedBrightness;
  const flat = signals.contrast === null ? null : signals.contrast <= rules.blockedContrast && f.driver_visible !== 1;
  matches.CAMERA_BLOCKED = { match: any(dark, flat), detail: 'lens_blocked' };
  if (matches.CAMERA_BLOCKED.match === true) return finish(signals, f, matches, [], context, rules);

  matches.NO_DRIVER = { match: f.driver_visible === null ? null : f.driver_visible === 0, detail: 'no_driver' };

  // Phone: a hand at the head holds from any camera (a call); with a baseline, a hand off the wheel while the head
  // drops or pitches is looking at it (texting), a hand lifted off the wheel is holding something.
  const atEar = below(f.hand_near_head, rules.handAtHeadSizes);
  const phoneSeen = atLeast(f.phone_score, rules.phoneScore);
  const handOff = any(atLeast(f.hands_moved, rules.handMovedSizes), baseline ? atLeast(f.hands_missing, 1) : null);
  const headDown = any(atLeast(f.head_drop, rules.headDropSizes), atLeast(f.head_pitch_deg, rules.headPitchDeg));
  const lookedAt = baseline ? handOff === true && headDown === true : null;
  const lifted = baseline ? atLeast(f.hands_moved, rules.handMovedSizes) === true && (f.hand_raised ?? -Infinity) >= -0.6 : null;
  const phone = any(atEar, phoneSeen, lookedAt, lifted);
  matches.PHONE_USAGE = {
    match: phone,
    detail: lookedAt || (phoneSeen && headDown) ? 'phone_looked_at' : atEar ? 'phone_at_ear' : 'phone_in_hand',
  };
  const hints: VisionIncidentType[] = phone !== true && (f.phone_score ?? 0) >= rules.phoneHintScore ? ['PHONE_USAGE'] : [];

  // Eyes: against the driver's own when calibrated; without a baseline only clearly shut eyes count.
  const ratio = f.eyes_ratio;
  if (baseline?.eye_openness) {
    matches.DROWSINESS = { match: below(ratio, rules.drowsyRatio), detail: ratio !== null && ratio < rules.eyesShutRatio ? 'eyes_closed' : 'eyes_closing' };
  } else {
    matches.DROWSINESS = { match: below(f.eye_openness, rules.absoluteClosedEyes), detail: 'eyes_closed' };
  }

  // Looking away: only against the camera's usual view of its driver (a side camera sees a calm driver in profile).
  if (baseline) {
    // The face mesh's angles when it measured them; the nose's place relative to the shoulders (pose) otherwise.
    const sideways = f.head_turn_deg !== null ? atLeast(f.head_turn_deg, rules.headTurnDeg) : atLeast(f.head_turn, rules.headTurnSizes);
    const turned = any(sideways, atLeast(f.head_pitch_deg, rules.headPitchDeg), atLeast(f.head_drop, rules.headDropSizes));
    // Head down with a hand off the wheel is the phone rule's; head down alone is looking away from the road.
    matches.DISTRACTION = { match: turned === true && lookedAt === true ? false : turned, detail: 'looking_away' };
  }

  matches.YAWNING = { match: atLeast(f.mouth_openness, rules.yawnMouthOpenness) === true ? true : f.mouth_openness === null ? null : false, detail: 'yawn' };
  return finish(signals, f, matches, hints, context, rules);
}

function finish(signals: FrameSignals, features: FrameFeatures, ruleMatches: FrameAssessment['matches'], hints: VisionIncidentType[], context: AssessmentContext, rules: VisionRules): FrameAssessment {
  let matches = ruleMatches;
  let prediction: Prediction | null = null;
  const model = context.model;
  if (model && model.examples >= rules.modelMinExamples && matches.CAMERA_BLOCKED?.match !== true) {
    const p = predict(model, features);
    if (p.probability >= rules.modelMinProbability) {
      prediction = p;
      // The model answers for the labels it knows: "fine" clears them; an incident type sets it.
      matches = { ...matches };
      for (const label of model.labels) {
        if (label === FINE) continue;
        const type = label as VisionIncidentType;
        matches[type] = { match: p.label === type, detail: p.label === type ? (matches[type]?.match ? matches[type]!.detail : defaultDetail(type)) : (matches[type]?.detail ?? defaultDetail(type)) };
      }
    }
  }
  const calibrating = context.baseline === null;
  const anyMatch = Object.values(matches).some((m) => m?.match === true);
  const attentive = !calibrating && !anyMatch && hints.length === 0 && isAttentive(signals, features, context.baseline!, rules);
  return { features, calibrating, matches, hints, attentive, decidedBy: prediction ? 'fleet_model' : 'rules', prediction };
}

/**
 * Confidently attentive: the driver is seen, the hands the baseline knows are near their places (or, for a camera
 * that never sees the hands, none has come into view) and away from the head, the head points where it usually does
 * (measured, not merely unmeasured), the eyes are not narrowed.
 */
function isAttentive(signals: FrameSignals, f: FrameFeatures, baseline: CameraBaseline, rules: VisionRules): boolean {
  if (f.driver_visible !== 1) return false;
  const knowsHands = Object.keys(baseline.wrists).length > 0;
  const wristsInView = Object.keys(signals.body?.keypoints ?? {}).some((k) => k.endsWith('_wrist'));
  const handsHome = knowsHands ? f.hands_missing === 0 && f.hands_moved !== null && f.hands_moved < rules.handMovedSizes / 2 : signals.body_found === true && !wristsInView;
  const handsAway = f.hand_near_head === null || f.hand_near_head > rules.handAtHeadSizes * 2;
  const headMeasured = f.head_turn_deg !== null || f.head_turn !== null;
  const sidewaysHome = f.head_turn_deg !== null ? f.head_turn_deg < rules.headTurnDeg * 0.6 : (f.head_turn ?? 0) < rules.headTurnSizes * 0.6;
  const headHome = headMeasured && sidewaysHome && (f.head_pitch_deg ?? 0) < rules.headPitchDeg * 0.6 && (f.head_drop ?? 0) < rules.headDropSizes * 0.6;
  const eyesOpen = f.eyes_ratio === null ? signals.eye_openness === null || signals.eye_openness > rules.absoluteClosedEyes * 1.5 : f.eyes_ratio >= 0.8;
  return handsHome && handsAway && headHome && eyesOpen;
}
