/**
 * The geometry behind the signals, on synthetic face meshes whose distances are known, so each ratio can be
 * checked exactly: closed eyes, a yawn, the driver among several faces, radians to degrees, phones and people.
 */
import { describe, expect, it } from 'vitest';
import type { HumanFace, HumanResult, Point3 } from './human-library.ts';
import { driverFace, signalsFromResult } from './signals-from-result.ts';

const FRAME = { width: 640, height: 480, brightness: 100, objectsEnabled: true };

/** A 468-point mesh with both eyes `eyeWidth` wide and lids `lidGap` apart, mouth 40 wide and `mouthGap` open. */
function mesh({ lidGap, mouthGap, eyeWidth = 30 }: { lidGap: number; mouthGap: number; eyeWidth?: number }): Point3[] {
  const points: Point3[] = Array.from({ length: 478 }, () => [300, 200, 0]);
  const eye = (cx: number, [outer, inner]: [number, number], lids: [number, number][]) => {
    points[outer] = [cx - eyeWidth / 2, 200, 0];
    points[inner] = [cx + eyeWidth / 2, 200, 0];
    lids.forEach(([upper, lower], i) => {
      points[upper] = [cx - 5 + 10 * i, 200 - lidGap / 2, 0];
      points[lower] = [cx - 5 + 10 * i, 200 + lidGap / 2, 0];
    });
  };
  eye(270, [33, 133], [[160, 144], [158, 153]]);
  eye(330, [362, 263], [[385, 380], [387, 373]]);
  points[61] = [280, 260, 0];
  points[291] = [320, 260, 0];
  points[13] = [300, 260 - mouthGap / 2, 0];
  points[14] = [300, 260 + mouthGap / 2, 0];
  return points;
}

function face(box: HumanFace['box'], points: Point3[], angle = { roll: 0, yaw: 0, pitch: 0 }): HumanFace {
  return { score: 0.9, box, mesh: points, rotation: { angle } };
}

const result = (faces: HumanFace[], objects: HumanResult['object'] = []): HumanResult => ({ face: faces, object: objects, error: null });

describe('signalsFromResult', () => {
  it('measures open eyes and a closed mouth as ratios of the mesh distances', () => {
    const s = signalsFromResult(result([face([250, 150, 100, 130], mesh({ lidGap: 9, mouthGap: 0 }))]), FRAME);
    expect(s).toMatchObject({ face_found: true, face_score: 0.9, eye_openness: 0.3, mouth_openness: 0, head_yaw_deg: 0, head_pitch_deg: 0 });
  });

  it('reads closed eyes and a yawn', () => {
    const s = signalsFromResult(result([face([250, 150, 100, 130], mesh({ lidGap: 1.5, mouthGap: 28 }))]), FRAME);
    expect(s.eye_openness).toBe(0.05);
    expect(s.mouth_openness).toBe(0.7);
  });

  it('turns human\'s head angles from radians into degrees', () => {
    const s = signalsFromResult(result([face([250, 150, 100, 130], mesh({ lidGap: 9, mouthGap: 0 }), { roll: 0, yaw: Math.PI / 4, pitch: -Math.PI / 6 })]), FRAME);
    expect(s.head_yaw_deg).toBe(45);
    expect(s.head_pitch_deg).toBe(-30);
  });

  it('leaves the face measurements null when no face was found, and counts nobody', () => {
    expect(signalsFromResult(result([]), FRAME)).toEqual({
      face_found: false,
      face_score: null,
      eye_openness: null,
      mouth_openness: null,
      head_yaw_deg: null,
      head_pitch_deg: null,
      phone_score: 0,
      person_count: 0,
      brightness: 100,
    });
  });

  it('leaves eyes, mouth and head null for a face without a full mesh', () => {
    const s = signalsFromResult(result([face([250, 150, 100, 130], [])]), FRAME);
    expect(s).toMatchObject({ face_found: true, eye_openness: null, mouth_openness: null, head_yaw_deg: null });
  });

  it('takes the best phone score, counts people, and says nothing of phones when the object model is off', () => {
    const objects = [
      { label: 'cell phone', score: 0.31 },
      { label: 'cell phone', score: 0.64 },
      { label: 'person', score: 0.8 },
      { label: 'person', score: 0.5 },
      { label: 'cup', score: 0.9 },
    ];
    const withObjects = signalsFromResult(result([face([250, 150, 100, 130], mesh({ lidGap: 9, mouthGap: 0 }))], objects), FRAME);
    expect(withObjects).toMatchObject({ phone_score: 0.64, person_count: 2 });
    const faceOnly = signalsFromResult(result([face([250, 150, 100, 130], mesh({ lidGap: 9, mouthGap: 0 }))], []), { ...FRAME, objectsEnabled: false });
    expect(faceOnly).toMatchObject({ phone_score: null, person_count: 1 });
  });
});

describe('driverFace', () => {
  it('picks the largest face', () => {
    const small = face([20, 20, 60, 60], []);
    const large = face([250, 150, 160, 160], []);
    expect(driverFace([small, large], FRAME)).toBe(large);
  });

  it('prefers the central face when two are about the same size', () => {
    const edge = face([560, 0, 80, 80], []);
    const centre = face([280, 200, 76, 76], []);
    expect(driverFace([edge, centre], FRAME)).toBe(centre);
  });

  it('finds no driver among no faces', () => {
    expect(driverFace([], FRAME)).toBeNull();
  });
});
