/**
 * Decides a verdict from an offline model's signals over a short window of the vehicle's frames (the offline
 * analyser measures; this judges). Each rule needs the current frame to show its pattern and enough frames of the
 * window to agree; a pattern seen too briefly is a hint: no incident, but `uncertain`, so a cascade asks the cloud
 * model. Severities and thresholds: vision-rules.ts.
 */
import { countMatches, decisionWindow, eyeBaseline, type SignalSample } from './signal-window.ts';
import { calmText, incidentText } from './verdict-text.ts';
import { DEFAULT_VISION_RULES, type VisionRules } from './vision-rules.ts';
import { SEVERITIES, type FrameSignals, type Severity, type VisionIncidentType, type VisionVerdict } from './vision-verdict.ts';

export interface Judgement {
  verdict: VisionVerdict;
  /** The evidence is thin (a single frame, no baseline, nothing measured): a second opinion is worth its cost. */
  uncertain: boolean;
  /** What the judgement is about: the incident found, else the pattern hinted at, else null (nothing seen). */
  finding: VisionIncidentType | null;
}

interface Finding {
  type: VisionIncidentType;
  severity: Severity;
  matches: number;
  /** Fired on an absolute threshold (no baseline): an incident, but one to confirm. */
  uncertain: boolean;
}

interface Hint {
  type: VisionIncidentType;
  reason: string;
}

// When several rules fire at the same severity, the one listed first is reported.
const PRIORITY: VisionIncidentType[] = ['CAMERA_BLOCKED', 'DROWSINESS', 'PHONE_USAGE', 'DISTRACTION', 'YAWNING', 'NO_DRIVER'];

export function judgeSignals(current: SignalSample, history: SignalSample[], options: { language: 'es' | 'en'; rules?: VisionRules }): Judgement {
  const rules = options.rules ?? DEFAULT_VISION_RULES;
  const window = decisionWindow(current, history, rules);
  const findings: Finding[] = [];
  const hints: Hint[] = [];
  const consider = (type: VisionIncidentType, needed: number, match: (s: FrameSignals) => boolean | null, severity: (count: number) => Severity, uncertain = false) => {
    const { count, current: now } = countMatches(window, match);
    if (!now) return false;
    if (count >= needed) findings.push({ type, severity: severity(count), matches: count, uncertain });
    else hints.push({ type, reason: 'too_brief' });
    return true;
  };
  const full = (count: number) => window.length >= rules.windowFrames && count === window.length;

  // A covered lens hides the face too: the other rules would only echo it as "no driver".
  const dark = (s: FrameSignals) => (s.brightness === null ? null : s.brightness <= rules.blockedBrightness);
  const blocked = consider('CAMERA_BLOCKED', rules.minMatches, dark, () => 'MEDIUM');

  if (!blocked) {
    const baseline = eyeBaseline(window, history, rules);
    const closedBelow = baseline === null ? rules.absoluteClosedEyes : baseline * rules.drowsyRatio;
    const eyes = (s: FrameSignals) => (s.face_found === false || s.eye_openness === null ? null : s.eye_openness < closedBelow);
    const shut = (s: FrameSignals) => baseline !== null && s.eye_openness !== null && s.eye_openness < baseline * rules.eyesShutRatio;
    // Without a baseline only clearly shut eyes count, and the incident is marked uncertain. A missing baseline on
    // its own is no reason for doubt: every driver's first minutes have one, and open eyes are not evidence.
    consider('DROWSINESS', rules.minMatches, eyes, (n) => (full(n) && window.every((w) => shut(w.signals)) ? 'CRITICAL' : 'HIGH'), baseline === null);

    const phone = (s: FrameSignals) => (s.phone_score === null ? null : s.phone_score >= rules.phoneScore);
    if (!consider('PHONE_USAGE', rules.briefMinMatches, phone, () => 'HIGH') && (current.signals.phone_score ?? 0) >= rules.phoneHintScore) {
      hints.push({ type: 'PHONE_USAGE', reason: 'weak_score' });
    }

    const away = (s: FrameSignals) =>
      s.head_yaw_deg === null && s.head_pitch_deg === null ? null : Math.abs(s.head_yaw_deg ?? 0) > rules.distractionYawDeg || Math.abs(s.head_pitch_deg ?? 0) > rules.distractionPitchDeg;
    consider('DISTRACTION', rules.minMatches, away, (n) => (full(n) ? 'HIGH' : 'MEDIUM'));

    const yawn = (s: FrameSignals) => (s.mouth_openness === null ? null : s.mouth_openness > rules.yawnMouthOpenness);
    consider('YAWNING', rules.briefMinMatches, yawn, (n) => (n >= rules.minMatches ? 'MEDIUM' : 'LOW'));

    const empty = (s: FrameSignals) => (s.face_found === null ? null : !s.face_found && (s.person_count ?? 0) === 0);
    consider('NO_DRIVER', rules.minMatches, empty, () => 'LOW');
  }

  const windowSize = window.length;
  const top = findings.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type))[0];
  if (top) {
    const confidence = Math.min(1, top.matches / rules.windowFrames) * (top.uncertain ? 0.6 : 1);
    return {
      verdict: { incident_detected: true, type: top.type, severity: top.severity, confidence: round(confidence), description: incidentText(options.language, top.type, top.matches, windowSize) },
      uncertain: top.uncertain,
      finding: top.type,
    };
  }
  const measuredNothing = Object.values(current.signals).every((v) => v === null);
  const hint: Hint | null = measuredNothing ? { type: 'OTHER', reason: 'no_signals' } : (hints[0] ?? null);
  return {
    verdict: { incident_detected: false, type: null, severity: null, confidence: hint ? 0.3 : 0.6, description: calmText(options.language, hint) },
    uncertain: hint !== null,
    finding: hint?.type ?? null,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
