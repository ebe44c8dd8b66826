/** Self-calibration frame by frame: what counts as a calibration frame, when the baseline is learned, when it is dropped. */
import { describe, expect, it } from 'vitest';
import { FRONT_CALM, withPoint } from '../../../e2e/support/driver-signals.ts';
import { calibrate, NEW_CALIBRATION, type CalibrationFrame, type CalibrationState } from './calibration.ts';
import { DEFAULT_VISION_RULES } from './vision-rules.ts';

const moving = (signals = FRONT_CALM): CalibrationFrame => ({ signals, speedKmh: 40, suspect: false });
function feed(state: CalibrationState, frames: CalibrationFrame[]) {
  const events = [];
  for (const frame of frames) {
    const step = calibrate(state, frame);
    state = step.state;
    events.push(step.event);
  }
  return { state, events };
}
const ready = () => feed(NEW_CALIBRATION, Array.from({ length: DEFAULT_VISION_RULES.calibrationFrames }, () => moving())).state;

describe('calibrate', () => {
  it('learns the baseline from 20 frames taken while moving with the driver in view', () => {
    const { state, events } = feed(NEW_CALIBRATION, Array.from({ length: 20 }, () => moving()));
    expect(events.slice(0, 19).every((e) => e === null)).toBe(true);
    expect(events[19]).toBe('learned');
    expect(state).toMatchObject({ status: 'ready', samples: [], shifted: 0 });
    expect(state.baseline).toMatchObject({ samples: 20, head_yaw: 2, eye_openness: 0.3 });
    expect(state.baseline!.wrists.left).toBeDefined();
  });

  it('ignores frames taken standing still, at unknown speed, without a driver, or already suspect', () => {
    const ignored = [
      { signals: FRONT_CALM, speedKmh: 0, suspect: false },
      { signals: FRONT_CALM, speedKmh: null, suspect: false },
      { signals: { ...FRONT_CALM, face_found: false, body_found: false }, speedKmh: 40, suspect: false },
      { signals: FRONT_CALM, speedKmh: 40, suspect: true },
    ];
    expect(feed(NEW_CALIBRATION, ignored).state.samples).toHaveLength(0);
  });

  it('starts over when the picture keeps differing from the baseline (the camera was moved), not for one odd frame', () => {
    const moved = { ...withPoint(withPoint(withPoint(FRONT_CALM, 'left_shoulder', 0.9, 0.8), 'right_shoulder', 0.7, 0.8), 'nose', 0.8, 0.65), face_box: [0.74, 0.55, 0.12, 0.15] as [number, number, number, number], scene: FRONT_CALM.scene!.map((v, i) => (i % 2 ? 255 - v : v)) };
    const once = feed(ready(), [moving(moved), moving()]);
    expect(once.state).toMatchObject({ status: 'ready', shifted: 0 });
    const shifted = feed(ready(), Array.from({ length: 5 }, () => moving(moved)));
    expect(shifted.events.at(-1)).toBe('picture_shifted');
    expect(shifted.state).toEqual(NEW_CALIBRATION);
  });

  it('a calm driver moving about in the usual picture keeps the baseline', () => {
    const leaning = withPoint(FRONT_CALM, 'nose', 0.52, 0.28);
    expect(feed(ready(), Array.from({ length: 10 }, () => moving(leaning))).state).toMatchObject({ status: 'ready', shifted: 0 });
  });
});
