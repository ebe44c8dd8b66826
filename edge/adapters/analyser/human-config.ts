/**
 * The human configuration the offline analyser runs with: face box, 468-point mesh and iris for the driver's
 * eyes, mouth and head pose; optionally the COCO object detector for phones and people. Nothing else is loaded.
 */
import type { HumanLibraryFiles } from './human-library.ts';

/** Every model runs on every frame: frames arrive seconds apart from different vehicles, so human's video-mode
 * caching (reuse the last face box for N frames / N ms, skip "unchanged" inputs) would answer with another frame's face. */
const EVERY_FRAME = { skipFrames: 0, skipTime: 0 };

export function humanConfig(files: Pick<HumanLibraryFiles, 'wasmPath' | 'modelBasePath'>, objects: boolean): Record<string, unknown> {
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
    body: { enabled: false },
    hand: { enabled: false },
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
    object: { ...EVERY_FRAME, enabled: objects, minConfidence: 0.2, maxDetected: 10 },
  };
}

/** Which models must have loaded for the configuration above to answer. */
export function requiredModels(objects: boolean): string[] {
  return objects ? ['blazeface', 'facemesh', 'iris', 'centernet'] : ['blazeface', 'facemesh', 'iris'];
}
