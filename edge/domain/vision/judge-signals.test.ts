/**
 * Every vision rule on explicit signal windows (times given, baselines learned from chosen calm frames): what fires,
 * what does not, how serious, and why — for a camera in front of the driver and one beside them.
 */
import { describe, expect, it } from 'vitest';
import { baselineOf, FRONT_CALM, SIDE_CALM, withoutPoints, withPoint } from '../../../e2e/support/driver-signals.ts';
import { fitFleetModel, FINE } from './fleet-model.ts';
import { frameFeatures } from './frame-features.ts';
import type { FrameSignals } from './frame-signals.ts';
import { judgeSignals, type JudgeOptions } from './judge-signals.ts';
import type { SignalSample } from './signal-window.ts';

const T0 = Date.parse('2026-06-01T08:00:00Z');
const FRONT = baselineOf(FRONT_CALM);
const SIDE = baselineOf(SIDE_CALM);
const MOVING = { speedKmh: 42 };
const PARKED = { speedKmh: 0 };

/** Frames 10 s apart ending at T0; the last is the current frame. */
function judge(frames: FrameSignals[], options: Partial<JudgeOptions> = {}) {
  const samples: SignalSample[] = frames.map((signals, i) => ({ capturedAt: T0 - (frames.length - 1 - i) * 10_000, signals }));
  return judgeSignals(samples.at(-1)!, samples.slice(0, -1), { language: 'en', motion: MOVING, ...options });
}
const four = (s: FrameSignals) => [s, s, s, s];

// A hand at the ear: the right wrist beside the head.
const frontAtEar = withPoint(FRONT_CALM, 'right_wrist', 0.45, 0.27);
// Texting: a wrist lifted to the chest, the head dropped.
const frontTexting = withPoint(withPoint(FRONT_CALM, 'right_wrist', 0.5, 0.5), 'nose', 0.5, 0.34);

describe('judgeSignals', () => {
  it('sees nothing in a calm driver, and calls them attentive once the camera is calibrated', () => {
    const j = judge(four(FRONT_CALM), { baseline: FRONT });
    expect(j.verdict).toMatchObject({ incident_detected: false, type: null });
    expect(j).toMatchObject({ attentive: true, calibrating: false, concern: null, uncertain: false });
  });

  it('a camera that never sees the hands calls a calm driver attentive, and not once a hand comes into view', () => {
    const closeUp = withoutPoints(FRONT_CALM, 'left_wrist', 'right_wrist');
    const baseline = baselineOf(closeUp);
    expect(judge(four(closeUp), { baseline })).toMatchObject({ attentive: true, concern: null });
    expect(judge(four(withPoint(closeUp, 'right_wrist', 0.5, 0.5)), { baseline })).toMatchObject({ attentive: false, concern: 'inattentive' });
  });

  it('says it is calibrating until the camera has a baseline, and does not guess at directions', () => {
    // Head turned 45° and a hand off the wheel: without the camera's normal picture, neither means anything.
    const j = judge(four(withPoint({ ...FRONT_CALM, head_yaw_deg: 45 }, 'left_wrist', 0.7, 0.5)), { baseline: null });
    expect(j.verdict.incident_detected).toBe(false);
    expect(j).toMatchObject({ calibrating: true, attentive: false, concern: 'calibrating' });
    expect(j.verdict.description).toContain('still learning');
  });

  describe('a side-mounted camera (driver in profile when calm)', () => {
    it('a calm driver in profile is not distracted', () => {
      expect(judge(four(SIDE_CALM), { baseline: SIDE }).verdict.incident_detected).toBe(false);
    });
    it('a driver turning to the passenger faces the camera: that is the distraction', () => {
      const facing = withPoint({ ...SIDE_CALM, head_yaw_deg: 2 }, 'nose', 0.42, 0.28);
      const three = judge([SIDE_CALM, facing, facing, facing], { baseline: SIDE });
      expect(three.verdict).toMatchObject({ incident_detected: true, type: 'DISTRACTION', severity: 'MEDIUM' });
      expect(three.detail).toBe('looking_away');
      expect(judge(four(facing), { baseline: SIDE }).verdict.severity).toBe('HIGH');
    });
  });

  describe('PHONE_USAGE', () => {
    it('a hand held at the ear over two frames is a call, from any camera and even while calibrating', () => {
      const j = judge([FRONT_CALM, FRONT_CALM, frontAtEar, frontAtEar], { baseline: null });
      expect(j.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', severity: 'MEDIUM' });
      expect(j.detail).toBe('phone_at_ear');
    });
    it('a hand off the wheel with the head dropped is looking at a phone: HIGH', () => {
      const j = judge([FRONT_CALM, FRONT_CALM, frontTexting, frontTexting], { baseline: FRONT });
      expect(j.verdict).toMatchObject({ type: 'PHONE_USAGE', severity: 'HIGH' });
      expect(j.detail).toBe('phone_looked_at');
    });
    it('a hand that left the wheel for below the dashboard while the head drops counts too', () => {
      const below = withPoint(withoutPoints(FRONT_CALM, 'right_wrist'), 'nose', 0.5, 0.34);
      expect(judge([FRONT_CALM, FRONT_CALM, below, below], { baseline: FRONT }).verdict).toMatchObject({ type: 'PHONE_USAGE', severity: 'HIGH' });
    });
    it('the same at a taxi rank is not an incident, and says so', () => {
      const j = judge([FRONT_CALM, FRONT_CALM, frontTexting, frontTexting], { baseline: FRONT, motion: PARKED });
      expect(j.verdict.incident_detected).toBe(false);
      expect(j.verdict.description).toMatch(/stands still/);
      expect(j.detail).toBe('phone_looked_at');
    });
    it('one frame is a hint, not an incident; a weak phone score too', () => {
      const once = judge([FRONT_CALM, FRONT_CALM, FRONT_CALM, frontAtEar], { baseline: FRONT });
      expect(once).toMatchObject({ uncertain: true, finding: 'PHONE_USAGE', concern: 'PHONE_USAGE' });
      expect(once.verdict.incident_detected).toBe(false);
      expect(judge(four({ ...FRONT_CALM, phone_score: 0.4 }), { baseline: FRONT })).toMatchObject({ uncertain: true, finding: 'PHONE_USAGE' });
      expect(judge([FRONT_CALM, { ...FRONT_CALM, phone_score: 0.8 }, FRONT_CALM, { ...FRONT_CALM, phone_score: 0.7 }], { baseline: FRONT }).verdict.type).toBe('PHONE_USAGE');
    });
    it('a hand resting on the gear lever (low, head up) is not a phone', () => {
      const gear = withPoint(FRONT_CALM, 'right_wrist', 0.47, 0.78);
      expect(judge(four(gear), { baseline: FRONT }).verdict.incident_detected).toBe(false);
    });
  });

  describe('DROWSINESS against the driver’s own eyes', () => {
    it('eyes below 65 % of the baseline in 3 of 4 frames: HIGH; shut (< 40 %) in them: CRITICAL', () => {
      const narrowed = { ...FRONT_CALM, eye_openness: 0.17 };
      expect(judge([FRONT_CALM, narrowed, narrowed, narrowed], { baseline: FRONT }).verdict).toMatchObject({ type: 'DROWSINESS', severity: 'HIGH' });
      const shut = { ...FRONT_CALM, eye_openness: 0.08 };
      const j = judge([FRONT_CALM, shut, shut, shut], { baseline: FRONT });
      expect(j.verdict).toMatchObject({ type: 'DROWSINESS', severity: 'CRITICAL' });
      expect(j.detail).toBe('eyes_closed');
    });
    it('a driver with narrow eyes is not drowsy at an openness that would be low for someone else', () => {
      const narrowEyed = { ...FRONT_CALM, eye_openness: 0.2 };
      expect(judge(four({ ...FRONT_CALM, eye_openness: 0.17 }), { baseline: baselineOf(narrowEyed) }).verdict.incident_detected).toBe(false);
    });
    it('eyes the mesh cannot measure (glasses, profile) are no evidence either way', () => {
      expect(judge(four({ ...FRONT_CALM, eye_openness: null }), { baseline: FRONT }).verdict.incident_detected).toBe(false);
    });
    it('without a baseline only clearly shut eyes count, and the incident is marked uncertain', () => {
      expect(judge(four({ ...FRONT_CALM, eye_openness: 0.17 }), { baseline: null }).verdict.incident_detected).toBe(false);
      const j = judge(four({ ...FRONT_CALM, eye_openness: 0.08 }), { baseline: null });
      expect(j.verdict).toMatchObject({ type: 'DROWSINESS', severity: 'CRITICAL' });
      expect(j.uncertain).toBe(true);
      expect(j.verdict.confidence).toBeLessThan(0.75);
    });
    it('needs the current frame to show it, and frames older than 60 s are outside the window', () => {
      const shut = { ...FRONT_CALM, eye_openness: 0.08 };
      expect(judge([shut, shut, shut, FRONT_CALM], { baseline: FRONT }).verdict.incident_detected).toBe(false);
      const old = [-90, -80, 0].map((s) => ({ capturedAt: T0 + s * 1000, signals: shut }));
      expect(judgeSignals(old.at(-1)!, old.slice(0, -1), { language: 'en', baseline: FRONT, motion: MOVING }).verdict.incident_detected).toBe(false);
    });
  });

  it('YAWNING: LOW over two frames, MEDIUM when it repeats; talking is no yawn', () => {
    const yawn = { ...FRONT_CALM, mouth_openness: 0.8 };
    expect(judge([FRONT_CALM, FRONT_CALM, yawn, yawn], { baseline: FRONT }).verdict).toMatchObject({ type: 'YAWNING', severity: 'LOW' });
    expect(judge([FRONT_CALM, yawn, yawn, yawn], { baseline: FRONT }).verdict).toMatchObject({ type: 'YAWNING', severity: 'MEDIUM' });
    expect(judge(four({ ...FRONT_CALM, mouth_openness: 0.45 }), { baseline: FRONT }).verdict.incident_detected).toBe(false);
  });

  describe('NO_DRIVER only when neither a face, nor a body, nor a person is seen', () => {
    const empty: FrameSignals = { ...FRONT_CALM, face_found: false, face_box: null, eye_openness: null, mouth_openness: null, head_yaw_deg: null, head_pitch_deg: null, body_found: false, body: null, person_count: 0 };
    it('a body without a face is a driver (profile, sunglasses, a hand on the head)', () => {
      const bodyOnly = { ...empty, body_found: true, body: FRONT_CALM.body, person_count: 1 };
      expect(judge(four(bodyOnly), { baseline: FRONT }).verdict.type).not.toBe('NO_DRIVER');
    });
    it('nobody in 3 of 4 frames: HIGH while moving, LOW with unknown speed, nothing while parked', () => {
      expect(judge([FRONT_CALM, empty, empty, empty]).verdict).toMatchObject({ type: 'NO_DRIVER', severity: 'HIGH' });
      expect(judge([FRONT_CALM, empty, empty, empty], { motion: { speedKmh: null } }).verdict).toMatchObject({ type: 'NO_DRIVER', severity: 'LOW' });
      expect(judge([FRONT_CALM, empty, empty, empty], { motion: PARKED }).verdict.incident_detected).toBe(false);
    });
  });

  describe('CAMERA_BLOCKED', () => {
    it('a black lens or a uniform one (tape) in 3 of 4 frames, and nothing else is judged meanwhile', () => {
      const black: FrameSignals = { ...FRONT_CALM, brightness: 4, contrast: 2, face_found: false, body_found: false, body: null, person_count: 0 };
      expect(judge([FRONT_CALM, black, black, black]).verdict).toMatchObject({ type: 'CAMERA_BLOCKED', severity: 'HIGH' });
      const taped: FrameSignals = { ...black, brightness: 140, contrast: 3 };
      expect(judge([FRONT_CALM, taped, taped, taped], { motion: PARKED }).verdict).toMatchObject({ type: 'CAMERA_BLOCKED', severity: 'MEDIUM' });
    });
    it('a plain but visible driver is not a blocked lens', () => {
      expect(judge(four({ ...FRONT_CALM, contrast: 4 }), { baseline: FRONT }).verdict.incident_detected).toBe(false);
    });
  });

  it('a fleet model with enough examples decides, and the description names the signals that decided', () => {
    // The fleet labelled frames of hands at chest height with the head up (its drivers hold the phone there) as
    // phone use, and calm frames as fine: a pattern the fixed rules do not call phone use.
    const chest = withPoint(FRONT_CALM, 'right_wrist', 0.45, 0.47);
    const examples = [
      ...Array.from({ length: 8 }, (_, i) => ({ label: 'PHONE_USAGE', features: frameFeatures(withPoint(FRONT_CALM, 'right_wrist', 0.44 + i * 0.005, 0.46 + i * 0.003), FRONT) })),
      ...Array.from({ length: 8 }, (_, i) => ({ label: FINE, features: frameFeatures(withPoint(FRONT_CALM, 'right_wrist', 0.4 + i * 0.003, 0.62 - i * 0.004), FRONT) })),
    ];
    const model = fitFleetModel(examples, 10)!;
    expect(judge([FRONT_CALM, FRONT_CALM, FRONT_CALM, chest], { baseline: FRONT }).verdict.incident_detected).toBe(false);
    const j = judge([FRONT_CALM, FRONT_CALM, chest, chest], { baseline: FRONT, model });
    expect(j.verdict).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE' });
    expect(j.decidedBy).toBe('fleet_model');
    expect(j.verdict.description).toMatch(/fleet’s model \(\d+ % sure\): .*hand/);
    // And "fine" from the model clears what the rules would have called.
    const cleared = fitFleetModel([...examples.slice(8), ...Array.from({ length: 8 }, () => ({ label: FINE, features: frameFeatures(frontAtEar, FRONT) })), { label: 'PHONE_USAGE', features: frameFeatures(frontTexting, FRONT) }], 10)!;
    expect(judge([FRONT_CALM, FRONT_CALM, frontAtEar, frontAtEar], { baseline: FRONT, model: cleared }).verdict.incident_detected).toBe(false);
  });

  it('describes in the fleet’s language', () => {
    expect(judge([FRONT_CALM, FRONT_CALM, frontAtEar, frontAtEar], { baseline: FRONT, language: 'es' }).verdict.description).toContain('oreja');
  });
});
