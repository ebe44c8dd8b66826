/**
 * The offline analyser on real photos (../shared/data/images, see its PROVENANCE.md): the models really load from
 * node_modules and really run on tfjs's WASM backend. Only what is certain is asserted — a clear frontal portrait
 * has a face with open eyes, a closed mouth and a head facing the camera; a coffee cup or a chessboard has no one.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encode } from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import { frameSignalsSchema } from '../../domain/vision/vision-verdict.ts';
import { AnalyserInputError, type Analyser, type FrameToAnalyse } from '../../ports/analyser.ts';
import { offlineAnalyserFiles } from '../../runtime/offline-analyser-files.ts';
import { createOfflineAnalyser } from './offline-analyser.ts';

const IMAGES = join(sharedDataDir(), 'images');
const frame = (jpeg: Uint8Array): FrameToAnalyse => ({ jpeg, width: null, height: null, language: 'en' });
const image = (path: string) => frame(new Uint8Array(readFileSync(join(IMAGES, path))));

// Public-domain portraits facing the camera: NASA's Eileen Collins (512×512) and Grace Hopper (128×128).
const PORTRAITS = ['photos/skimage_astronaut_from_png.jpg', 'photos/pillow_hopper.jpg'];
// A cup of coffee from above and a chessboard on a wall: nobody in either.
const NOBODY = ['photos/skimage_coffee_from_png.jpg', 'camera-calibration/udacity_calibration1.jpg'];
// A road-facing dashcam frame: what a road camera sends.
const ROAD = 'dashcam/udacity_advlane_test1.jpg';

function solidJpeg(width: number, height: number, value: number): Uint8Array {
  const data = new Uint8Array(width * height * 4).fill(value);
  return new Uint8Array(encode({ width, height, data }, 90).data);
}

const MODEL_LOAD_MS = 180_000;

describe('offline analyser (human on tfjs WASM)', () => {
  let analyser: Analyser;
  beforeAll(async () => {
    analyser = createOfflineAnalyser({ ...offlineAnalyserFiles(), objects: true });
    // Loads the models (seconds) once for these tests, so that each times only its own frames.
    await analyser.analyse(image(PORTRAITS[0]));
  }, MODEL_LOAD_MS);
  afterAll(async () => {
    await analyser?.close?.();
  });

  it.each(PORTRAITS)('finds the face in %s, eyes open, mouth closed, facing the camera', async (path) => {
    const out = await analyser.analyse(image(path));
    // A local model bills nothing: no usage at all (not a zero-token call, which would count as a billed one).
    expect(out).toMatchObject({ analyser: 'offline', verdict: null, usage: null });
    expect(out.model).toMatch(/^human-3\.3\.\d+ \(blazeface\+facemesh\+iris\+movenet\+handtrack\+centernet\)$/);
    expect(out.latencyMs).toBeGreaterThanOrEqual(0);
    const signals = frameSignalsSchema.parse(out.signals);
    expect(signals.face_found).toBe(true);
    expect(signals.face_score).toBeGreaterThan(0.5);
    expect(signals.eye_openness).toBeGreaterThan(0.2);
    expect(signals.eye_openness).toBeLessThan(0.6);
    expect(signals.mouth_openness).toBeGreaterThanOrEqual(0);
    expect(signals.mouth_openness).toBeLessThan(0.3);
    expect(Math.abs(signals.head_yaw_deg!)).toBeLessThan(20);
    expect(Math.abs(signals.head_pitch_deg!)).toBeLessThan(25);
    expect(signals.person_count).toBeGreaterThanOrEqual(1);
    expect(signals.phone_score).toBeLessThan(0.5);
    // The pose model sees the same person: head and shoulders, in frame units, the nose between the shoulders.
    expect(signals.body_found).toBe(true);
    const { nose, left_shoulder, right_shoulder } = signals.body!.keypoints;
    expect(nose && left_shoulder && right_shoulder).toBeTruthy();
    expect(nose![0]).toBeGreaterThan(Math.min(left_shoulder![0], right_shoulder![0]));
    expect(nose![0]).toBeLessThan(Math.max(left_shoulder![0], right_shoulder![0]));
    expect(nose![1]).toBeLessThan(left_shoulder![1]);
    expect(signals.face_box![2]).toBeGreaterThan(0.1);
    expect(signals.scene).toHaveLength(108);
    expect(signals.brightness).toBeGreaterThan(30);
    expect(signals.brightness).toBeLessThan(220);
  });

  it.each([...NOBODY, ROAD])('finds no face, no body and no person in %s', async (path) => {
    const signals = frameSignalsSchema.parse((await analyser.analyse(image(path))).signals);
    expect(signals).toMatchObject({ face_found: false, face_score: null, eye_openness: null, mouth_openness: null, head_yaw_deg: null, head_pitch_deg: null, body_found: false, body: null, person_count: 0 });
    expect(signals.phone_score).toBeGreaterThanOrEqual(0);
  });

  it('reads a black frame (a covered lens) as brightness ≈ 0 and a white one as ≈ 255', async () => {
    const black = (await analyser.analyse(frame(solidJpeg(320, 240, 0)))).signals!;
    const white = (await analyser.analyse(frame(solidJpeg(320, 240, 255)))).signals!;
    expect(black.brightness).toBeLessThan(2);
    expect(black.contrast).toBeLessThan(1);
    expect(black.face_found).toBe(false);
    expect(white.brightness).toBeGreaterThan(253);
  });

  it('rejects bytes that are not a JPEG, or a JPEG that cannot be decoded, with AnalyserInputError', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    await expect(analyser.analyse(frame(png))).rejects.toBeInstanceOf(AnalyserInputError);
    await expect(analyser.analyse(frame(new TextEncoder().encode('hello')))).rejects.toBeInstanceOf(AnalyserInputError);
    await expect(analyser.analyse(frame(new Uint8Array(0)))).rejects.toBeInstanceOf(AnalyserInputError);
    // Headers only, no scan data (scikit-image's truncated-JPEG fixture).
    await expect(analyser.analyse(image('jpeg-edge-cases/truncated_skimage_truncated.jpg'))).rejects.toBeInstanceOf(AnalyserInputError);
    // And the analyser keeps working after a bad frame.
    expect((await analyser.analyse(image(PORTRAITS[1]))).signals!.face_found).toBe(true);
  });

  it('answers concurrent calls each with its own frame', async () => {
    const [face, nobody, again] = await Promise.all([
      analyser.analyse(image(PORTRAITS[0])),
      analyser.analyse(image(NOBODY[0])),
      analyser.analyse(image(PORTRAITS[0])),
    ]);
    expect(face.signals!.face_found).toBe(true);
    expect(nobody.signals!.face_found).toBe(false);
    expect(again.signals).toEqual(face.signals);
  });

  it('answers right when two analysers in one process are called at once, and one closing leaves the other working', async () => {
    const second = createOfflineAnalyser({ ...offlineAnalyserFiles(), objects: false });
    try {
      const frames = [PORTRAITS[0], NOBODY[0], PORTRAITS[1]].map(image);
      const alone = [];
      for (const f of frames) alone.push([(await analyser.analyse(f)).signals, (await second.analyse(f)).signals]);
      const together = await Promise.all(frames.map((f) => Promise.all([analyser.analyse(f), second.analyse(f)])));
      expect(together.map(([a, b]) => [a.signals, b.signals])).toEqual(alone);
    } finally {
      await second.close!();
    }
    // The models are shared: the second analyser's close must not have freed them under the first.
    expect((await analyser.analyse(image(PORTRAITS[1]))).signals!.face_found).toBe(true);
  }, 60_000);

  it('does not start a call whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    await expect(analyser.analyse(image(PORTRAITS[0]), { signal: controller.signal })).rejects.toThrow('gave up');
  });
});

// The describes below run after the first one has closed its analyser: human's models are shared by every
// analyser in a process, and the last one to close frees them, so these load from scratch.
describe('offline analyser as configured by default (face, pose and hands; no object model)', () => {
  let faceOnly: Analyser;
  beforeAll(async () => {
    faceOnly = createOfflineAnalyser(offlineAnalyserFiles());
    // As a worker does before it claims a frame: the models load and run once on an empty frame.
    await faceOnly.warmUp!();
  }, MODEL_LOAD_MS);

  it('still measures the face and body, and reports no phone score rather than a made-up one', async () => {
    const out = await faceOnly.analyse(image(PORTRAITS[0]));
    expect(out.model).toMatch(/\(blazeface\+facemesh\+iris\+movenet\+handtrack\)$/);
    expect(out.signals).toMatchObject({ face_found: true, body_found: true, phone_score: null, person_count: 1 });
    expect(Array.isArray(out.signals!.hands)).toBe(true);
  });

  it('rejects every call once closed', async () => {
    await faceOnly.close!();
    await expect(faceOnly.analyse(image(PORTRAITS[0]))).rejects.toThrow(/closed/);
    await expect(faceOnly.warmUp!()).rejects.toThrow(/closed/);
  });
});

describe('offline analyser whose model files are missing', () => {
  it('rejects with an error naming the models (not AnalyserInputError), and keeps rejecting', async () => {
    const emptyDir = pathToFileURL(mkdtempSync(join(tmpdir(), 'no-models-'))).href + '/';
    // Face models only: each missing model makes the library log a long stack trace.
    const broken = createOfflineAnalyser({ ...offlineAnalyserFiles(), modelBasePath: emptyDir, objects: false, pose: false, hands: false });
    const attempt = broken.analyse(image(PORTRAITS[0]));
    await expect(attempt).rejects.toThrow(/could not load model\(s\) blazeface, facemesh, iris/);
    await expect(attempt).rejects.not.toBeInstanceOf(AnalyserInputError);
    await expect(broken.analyse(image(PORTRAITS[0]))).rejects.toThrow(/could not load model/);
    // A worker's warm-up meets the same error at boot, before any frame is claimed.
    await expect(broken.warmUp!()).rejects.toThrow(/could not load model\(s\) blazeface, facemesh, iris/);
    await broken.close!();
  }, MODEL_LOAD_MS);

  it('leaves nothing behind that stops a correctly configured analyser from loading afterwards', async () => {
    const healthy = createOfflineAnalyser({ ...offlineAnalyserFiles(), pose: false, hands: false });
    try {
      expect((await healthy.analyse(image(PORTRAITS[1]))).signals!.face_found).toBe(true);
    } finally {
      await healthy.close!();
    }
  }, MODEL_LOAD_MS);
});
