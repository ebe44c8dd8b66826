/**
 * The human configuration the offline analyser runs with: face box, 468-point mesh and iris for the driver's eyes,
 * mouth and head pose; MoveNet body keypoints (shoulders, elbows, wrists: where the hands are, how the torso and head
 * turn) and the hand detector with its landmarks (a hand at the ear, a hand gripping something); optionally the
 * COCO object detector (phones, people). Nothing else is loaded.
 */
import type { HumanLibraryFiles } from './human-library.ts';

/** Which of the optional models run. Face, mesh and iris always do. */
export interface HumanModels {
  /** MoveNet body keypoints: finds the driver where the face detector cannot (profile, sunglasses, a hand on the head). */
  pose: boolean;
  /** Hand detector + hand landmarks. */
  hands: boolean;
  /** COCO objects: "cell phone" (a weak hint) and "person". */
  objects: boolean;
}

/** Every model runs on every frame: frames arrive seconds apart from different vehicles, so human's video-mode
 * caching (reuse the last face box for N frames / N ms, skip "unchanged" inputs) would answer with another frame's face. */
const EVERY_FRAME = { skipFrames: 0, skipTime: 0 };

export function humanConfig(files: Pick<HumanLibraryFiles, 'wasmPath' | 'modelBasePath'>, models: HumanModels): Record<string, unknown> {
  return {
    backend: 'wasm',
    wasmPath: files.wasmPath,
    wasmPlatformFetch: true,
    modelBasePath: files.modelBasePath,
    cacheModels: false,
    cacheSensitivity: 0,
    debug: false,
    warmup: 'none',
    filter: { enabled: false },
    gesture: { enabled: false },
    // One body: MoveNet lightning is a single-person model; the most prominent person in a cabin frame is the driver.
    body: { ...EVERY_FRAME, enabled: models.pose, modelPath: 'movenet-lightning.json', maxDetected: 1, minConfidence: 0.15 },
    hand: {
      ...EVERY_FRAME,
      enabled: models.hands,
      rotation: false,
      // Driver's two hands and a passenger's, at most.
      maxDetected: 3,
      minConfidence: 0.4,
      iouThreshold: 0.2,
      landmarks: true,
      detector: { modelPath: 'handtrack.json' },
      skeleton: { modelPath: 'handlandmark-lite.json' },
    },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      // A few faces, so that a passenger's face does not hide the driver's: the driver is picked afterwards.
      detector: { ...EVERY_FRAME, rotation: false, maxDetected: 4, minConfidence: 0.3, return: false },
      mesh: { enabled: true },
      iris: { enabled: true },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    object: { ...EVERY_FRAME, enabled: models.objects, minConfidence: 0.2, maxDetected: 10 },
  };
}

/** Which models must have loaded for the configuration above to answer (human's names for them). */
export function requiredModels(models: HumanModels): string[] {
  return [
    'blazeface',
    'facemesh',
    'iris',
    ...(models.pose ? ['movenet'] : []),
    ...(models.hands ? ['handtrack', 'handskeleton'] : []),
    ...(models.objects ? ['centernet'] : []),
  ];
}
