import { describe, expect, it } from 'vitest';
import { judgeSignals } from './judge-signals.ts';
import type { SignalSample } from './signal-window.ts';
import { EMPTY_SIGNALS, type FrameSignals } from './vision-verdict.ts';

const T0 = Date.parse('2026-06-01T08:00:00Z');
const awake: FrameSignals = { ...EMPTY_SIGNALS, face_found: true, face_score: 0.9, eye_openness: 0.3, mouth_openness: 0.1, head_yaw_deg: 2, head_pitch_deg: -3, phone_score: 0.02, person_count: 1, brightness: 120 };
const at = (seconds: number, signals: Partial<FrameSignals> = {}): SignalSample => ({ capturedAt: T0 + seconds * 1000, signals: { ...awake, ...signals } });
/** Ten minutes of an alert driver whose open eyes measure `eyes`, one frame every 30 s, ending a minute before T0. */
const baseline = (eyes: number) => Array.from({ length: 20 }, (_, i) => at(-60 - 30 * i, { eye_openness: eyes }));

/** The last sample is the current frame; the others are its history. */
function judge(samples: SignalSample[], language: 'es' | 'en' = 'en') {
  const current = samples.at(-1)!;
  return judgeSignals(current, samples.slice(0, -1), { language });
}

describe('judgeSignals', () => {
  it('sees nothing in an alert driver', () => {
    const { verdict, uncertain } = judge([...baseline(0.3), at(0), at(10), at(20), at(30)]);
    expect(verdict.incident_detected).toBe(false);
    expect(verdict.type).toBeNull();
    expect(uncertain).toBe(false);
  });

  describe('DROWSINESS against the driver’s own baseline', () => {
    it('fires when the eyes stay below 65 % of the baseline in 3 of the last 4 frames', () => {
      const { verdict, uncertain } = judge([...baseline(0.3), at(0), at(10, { eye_openness: 0.17 }), at(20, { eye_openness: 0.18 }), at(30, { eye_openness: 0.16 })]);
      expect(verdict).toMatchObject({ incident_detected: true, type: 'DROWSINESS', severity: 'HIGH', confidence: 0.75 });
      expect(verdict.description).toContain('3 of the last 4');
      expect(uncertain).toBe(false);
    });

    it('is CRITICAL when the eyes stayed nearly shut in every frame of a full window', () => {
      const { verdict } = judge([...baseline(0.3), at(0, { eye_openness: 0.08 }), at(10, { eye_openness: 0.07 }), at(20, { eye_openness: 0.09 }), at(30, { eye_openness: 0.06 })]);
      expect(verdict).toMatchObject({ type: 'DROWSINESS', severity: 'CRITICAL', confidence: 1 });
    });

    it('a driver with narrow eyes is not drowsy at an openness that would be low for someone else', () => {
      // 0.17 is 65 % of 0.26 — drowsy for a 0.3 driver, normal for a 0.2 one.
      const narrow = judge([...baseline(0.2), at(0, { eye_openness: 0.17 }), at(10, { eye_openness: 0.17 }), at(20, { eye_openness: 0.17 }), at(30, { eye_openness: 0.17 })]);
      expect(narrow.verdict.incident_detected).toBe(false);
      const wide = judge([...baseline(0.3), at(0, { eye_openness: 0.17 }), at(10, { eye_openness: 0.17 }), at(20, { eye_openness: 0.17 }), at(30, { eye_openness: 0.17 })]);
      expect(wide.verdict.type).toBe('DROWSINESS');
    });

    it('needs the current frame to show it: eyes open again is no incident', () => {
      const { verdict } = judge([...baseline(0.3), at(0, { eye_openness: 0.1 }), at(10, { eye_openness: 0.1 }), at(20, { eye_openness: 0.1 }), at(30)]);
      expect(verdict.incident_detected).toBe(false);
    });

    it('one blink is a hint, not an incident', () => {
      const { verdict, uncertain } = judge([...baseline(0.3), at(0), at(10), at(20), at(30, { eye_openness: 0.1 })]);
      expect(verdict.incident_detected).toBe(false);
      expect(uncertain).toBe(true);
    });

    it('frames older than 60 s are outside the window', () => {
      const { verdict } = judge([...baseline(0.3), at(-50, { eye_openness: 0.1 }), at(-45, { eye_openness: 0.1 }), at(20, { eye_openness: 0.1 })]);
      expect(verdict.incident_detected).toBe(false);
    });

    it('without a baseline falls back to a conservative absolute threshold and says it is uncertain', () => {
      const slightlyLow = judge([at(0, { eye_openness: 0.17 }), at(10, { eye_openness: 0.17 }), at(20, { eye_openness: 0.17 })]);
      expect(slightlyLow.verdict.incident_detected).toBe(false);
      const shut = judge([at(0, { eye_openness: 0.08 }), at(10, { eye_openness: 0.1 }), at(20, { eye_openness: 0.09 })]);
      expect(shut.verdict).toMatchObject({ type: 'DROWSINESS', severity: 'HIGH' });
      expect(shut.uncertain).toBe(true);
      expect(shut.verdict.confidence).toBeLessThan(0.75);
    });

    it('ignores closed-eyed frames when building the baseline', () => {
      // Half the history has shut eyes (0.05): they are not "open-eyed" and do not drag the median down.
      const history = [...baseline(0.3), ...Array.from({ length: 20 }, (_, i) => at(-70 - 30 * i, { eye_openness: 0.05 }))];
      const { verdict } = judge([...history, at(0, { eye_openness: 0.17 }), at(10, { eye_openness: 0.17 }), at(20, { eye_openness: 0.17 })]);
      expect(verdict.type).toBe('DROWSINESS');
    });
  });

  describe('YAWNING', () => {
    it('is LOW for a yawn over two frames and MEDIUM when it repeats', () => {
      expect(judge([...baseline(0.3), at(0), at(10), at(20, { mouth_openness: 0.8 }), at(30, { mouth_openness: 0.9 })]).verdict).toMatchObject({ type: 'YAWNING', severity: 'LOW' });
      expect(judge([...baseline(0.3), at(0), at(10, { mouth_openness: 0.7 }), at(20, { mouth_openness: 0.8 }), at(30, { mouth_openness: 0.9 })]).verdict).toMatchObject({ type: 'YAWNING', severity: 'MEDIUM' });
    });

    it('talking (a mouth half open) is not a yawn', () => {
      expect(judge([...baseline(0.3), at(0, { mouth_openness: 0.4 }), at(10, { mouth_openness: 0.45 }), at(20, { mouth_openness: 0.5 })]).verdict.incident_detected).toBe(false);
    });
  });

  describe('DISTRACTION', () => {
    it('fires when the head is turned away for most of the window, HIGH when for all of it', () => {
      expect(judge([...baseline(0.3), at(0), at(10, { head_yaw_deg: 50 }), at(20, { head_yaw_deg: 55 }), at(30, { head_yaw_deg: -60 })]).verdict).toMatchObject({ type: 'DISTRACTION', severity: 'MEDIUM' });
      expect(judge([...baseline(0.3), at(0, { head_pitch_deg: -40 }), at(10, { head_pitch_deg: -45 }), at(20, { head_pitch_deg: -42 }), at(30, { head_pitch_deg: -50 })]).verdict).toMatchObject({ type: 'DISTRACTION', severity: 'HIGH' });
    });

    it('a glance at a mirror (one frame) is not distraction', () => {
      const { verdict, uncertain } = judge([...baseline(0.3), at(0), at(10), at(20), at(30, { head_yaw_deg: 45 })]);
      expect(verdict.incident_detected).toBe(false);
      expect(uncertain).toBe(true);
    });
  });

  describe('PHONE_USAGE', () => {
    it('needs a high phone score in several frames', () => {
      expect(judge([...baseline(0.3), at(0), at(10), at(20, { phone_score: 0.8 }), at(30, { phone_score: 0.7 })]).verdict).toMatchObject({ type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.5 });
    });

    it('one frame with a phone is a weak hint: no incident, uncertain', () => {
      const once = judge([...baseline(0.3), at(0), at(10), at(20), at(30, { phone_score: 0.9 })]);
      expect(once.verdict.incident_detected).toBe(false);
      expect(once.uncertain).toBe(true);
      const faint = judge([...baseline(0.3), at(0), at(10), at(20), at(30, { phone_score: 0.4 })]);
      expect(faint.uncertain).toBe(true);
      expect(faint.verdict.description).toContain('PHONE_USAGE');
    });
  });

  describe('CAMERA_BLOCKED and NO_DRIVER', () => {
    const dark = { brightness: 3, face_found: false, person_count: 0, eye_openness: null, mouth_openness: null, head_yaw_deg: null, head_pitch_deg: null };
    it('a dark image over the window is a blocked camera, not a missing driver', () => {
      const { verdict } = judge([...baseline(0.3), at(0, dark), at(10, dark), at(20, dark)]);
      expect(verdict).toMatchObject({ type: 'CAMERA_BLOCKED', severity: 'MEDIUM' });
    });

    it('an empty seat over the window is NO_DRIVER, kept LOW because frames do not know whether the taxi moves', () => {
      const empty = { face_found: false, person_count: 0, eye_openness: null, mouth_openness: null, head_yaw_deg: null, head_pitch_deg: null };
      expect(judge([...baseline(0.3), at(0, empty), at(10, empty), at(20, empty), at(30, empty)]).verdict).toMatchObject({ type: 'NO_DRIVER', severity: 'LOW' });
    });

    it('a person seen without a face (turned around) is not an empty seat', () => {
      const turned = { face_found: false, person_count: 1, eye_openness: null, mouth_openness: null, head_yaw_deg: null, head_pitch_deg: null };
      expect(judge([...baseline(0.3), at(0, turned), at(10, turned), at(20, turned)]).verdict.incident_detected).toBe(false);
    });
  });

  it('reports the most severe of several findings', () => {
    const drowsyAndYawning = { eye_openness: 0.12, mouth_openness: 0.8 };
    const { verdict } = judge([...baseline(0.3), at(0, drowsyAndYawning), at(10, drowsyAndYawning), at(20, drowsyAndYawning)]);
    expect(verdict.type).toBe('DROWSINESS');
  });

  it('a frame where the model measured nothing is uncertain', () => {
    const { verdict, uncertain } = judgeSignals({ capturedAt: T0, signals: EMPTY_SIGNALS }, [], { language: 'en' });
    expect(verdict.incident_detected).toBe(false);
    expect(uncertain).toBe(true);
  });

  it('ignores frames captured after the current one (a late upload)', () => {
    const { verdict } = judge([...baseline(0.3), at(40, { phone_score: 0.9 }), at(50, { phone_score: 0.9 }), at(30, { phone_score: 0.9 })]);
    expect(verdict.incident_detected).toBe(false);
  });

  it('writes the description in the fleet’s language', () => {
    const { verdict } = judge([...baseline(0.3), at(0), at(10), at(20, { phone_score: 0.8 }), at(30, { phone_score: 0.7 })], 'es');
    expect(verdict.description).toMatch(/teléfono/);
  });
});
