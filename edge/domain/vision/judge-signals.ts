/**
 * Decides a verdict from an offline model's signals over a short window of the camera's frames (the offline analyser
 * measures; this judges): each frame is assessed against the camera's baseline and the fleet's model
 * (frame-assessment.ts); a rule fires when the current frame shows its pattern and enough frames of the window agree;
 * the severity comes from the one policy (severity-policy.ts), which knows whether the taxi moves. A pattern seen too
 * briefly is a hint: no incident, but `uncertain`, so a cascade asks the cloud model.
 */
import type { CameraBaseline } from './camera-baseline.ts';
import type { FleetModel, Prediction } from './fleet-model.ts';
import { assessFrame, type FrameAssessment } from './frame-assessment.ts';
import type { FrameFeatures } from './frame-features.ts';
import { severityOf, type FindingDetail, type Motion } from './severity-policy.ts';
import { decisionWindow, type SignalSample } from './signal-window.ts';
import { calmText, incidentText, modelText, parkedText } from './verdict-text.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from './vision-rules.ts';
import { SEVERITIES, type Severity, type VisionIncidentType, type VisionVerdict } from './vision-verdict.ts';

export interface Judgement {
  verdict: VisionVerdict;
  /** The evidence is thin (a single frame, no baseline, nothing measured): a second opinion is worth its cost. */
  uncertain: boolean;
  /** What the judgement is about: the incident found, else the pattern hinted at, else null. */
  finding: VisionIncidentType | null;
  detail: FindingDetail | null;
  /**
   * Why the frame is not simply fine — the finding, a hint, `calibrating` or `inattentive` — or null for a driver
   * confidently attentive. A cascade reuses a cloud answer about the same concern for a while.
   */
  concern: string | null;
  calibrating: boolean;
  attentive: boolean;
  decidedBy: 'rules' | 'fleet_model';
  prediction: Prediction | null;
  features: FrameFeatures;
}

export interface JudgeOptions {
  language: 'es' | 'en';
  rules?: VisionRules;
  /** The camera's baseline; null or absent: it is calibrating. */
  baseline?: CameraBaseline | null;
  model?: FleetModel | null;
  /** Whether the taxi moved (speed unknown: judged as moving). */
  motion?: Motion;
}

interface Found {
  type: VisionIncidentType;
  detail: FindingDetail;
  severity: Severity | null;
  matches: number;
  uncertain: boolean;
}

// When several rules fire at the same severity, the one listed first is reported.
const PRIORITY: VisionIncidentType[] = ['CAMERA_BLOCKED', 'DROWSINESS', 'PHONE_USAGE', 'DISTRACTION', 'YAWNING', 'NO_DRIVER'];
const BRIEF: VisionIncidentType[] = ['PHONE_USAGE', 'YAWNING'];

export function judgeSignals(current: SignalSample, history: SignalSample[], options: JudgeOptions): Judgement {
  const rules = options.rules ?? DEFAULT_VISION_RULES;
  const motion = options.motion ?? { speedKmh: null };
  const context = { baseline: options.baseline ?? null, model: options.model, rules };
  const window = decisionWindow(current, history, rules).map((s) => ({ ...s, assessment: assessFrame(s.signals, context) }));
  const now = window.at(-1)!.assessment;
  const full = window.length >= rules.windowFrames;

  const found: Found[] = [];
  const hints: { type: VisionIncidentType; reason: string }[] = now.hints.map((type) => ({ type, reason: 'weak_score' }));
  for (const type of PRIORITY) {
    const match = now.matches[type];
    if (match?.match !== true) continue;
    const matching = window.filter((w) => w.assessment.matches[type]?.match === true);
    const needed = BRIEF.includes(type) ? rules.briefMinMatches : rules.minMatches;
    if (matching.length < Math.min(needed, rules.windowFrames)) {
      hints.push({ type, reason: 'too_brief' });
      continue;
    }
    const detail = episodeDetail(type, match.detail, matching.map((w) => w.assessment), needed);
    const sustained = type === 'YAWNING' ? matching.length >= rules.minMatches : full && matching.length === window.length;
    // Eyes judged without the driver's baseline are judged on an absolute threshold: an incident, but one to confirm.
    const uncertain = type === 'DROWSINESS' && now.calibrating;
    found.push({ type, detail, severity: severityOf({ type, detail, sustained }, motion), matches: matching.length, uncertain });
  }
  // The camera cannot see the driver: nothing else in these frames can be judged.
  if (found.some((f) => f.type === 'CAMERA_BLOCKED')) found.splice(0, found.length, found.find((f) => f.type === 'CAMERA_BLOCKED')!);

  const base = { calibrating: now.calibrating, decidedBy: now.decidedBy, prediction: now.prediction, features: now.features } as const;
  const explain = (text: string) => (now.prediction ? `${text} ${modelText(options.language, now.prediction)}` : text).slice(0, 500);
  const incidents = found.filter((f) => f.severity !== null).sort((a, b) => SEVERITIES.indexOf(b.severity!) - SEVERITIES.indexOf(a.severity!) || PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type));
  const top = incidents[0];
  if (top) {
    const confidence = Math.min(1, top.matches / rules.windowFrames) * (top.uncertain ? 0.6 : 1);
    return {
      ...base,
      verdict: { incident_detected: true, type: top.type, severity: top.severity, confidence: round(now.prediction && now.prediction.label === top.type ? Math.max(confidence, now.prediction.probability) : confidence), description: explain(incidentText(options.language, top.detail, top.matches, window.length)) },
      uncertain: top.uncertain,
      finding: top.type,
      detail: top.detail,
      concern: top.type,
      attentive: false,
    };
  }
  // Something was seen that is no incident here (the taxi stands): said, but not raised.
  const excused = found[0];
  if (excused) {
    return {
      ...base,
      verdict: { incident_detected: false, type: null, severity: null, confidence: 0.6, description: explain(parkedText(options.language, incidentText(options.language, excused.detail, excused.matches, window.length))) },
      uncertain: false,
      finding: null,
      detail: excused.detail,
      concern: null,
      attentive: false,
    };
  }
  const measuredNothing = Object.values(current.signals).every((v) => v === null);
  const hint = measuredNothing ? { type: 'OTHER' as const, reason: 'no_signals' } : (hints[0] ?? null);
  const concern = hint?.type ?? (now.attentive ? null : now.calibrating ? 'calibrating' : 'inattentive');
  return {
    ...base,
    verdict: { incident_detected: false, type: null, severity: null, confidence: hint ? 0.3 : 0.6, description: explain(calmText(options.language, hint, now.calibrating)) },
    uncertain: hint !== null,
    finding: hint?.type ?? null,
    detail: null,
    concern,
    attentive: now.attentive,
  };
}

/** Eyes shut only when enough frames of the episode showed them shut; otherwise the current frame's detail. */
function episodeDetail(type: VisionIncidentType, detail: FindingDetail, matching: FrameAssessment[], needed: number): FindingDetail {
  if (type !== 'DROWSINESS' || detail !== 'eyes_closed') return detail;
  return matching.filter((a) => a.matches.DROWSINESS?.detail === 'eyes_closed').length >= needed ? 'eyes_closed' : 'eyes_closing';
}

const round = (n: number) => Math.round(n * 100) / 100;
