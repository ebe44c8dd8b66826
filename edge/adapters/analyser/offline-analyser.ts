/**
 * The offline analyser: face, eye, mouth and head-pose signals, body keypoints and hands, and (optionally)
 * phone/person objects, from models shipped in @vladmandic/human, run on tfjs's WASM backend — no key, no network.
 * It returns signals only (`verdict: null`, `usage: null`: nothing is billed); deciding whether they amount to
 * phone use, drowsiness or distraction is the domain's job, over a window of frames and against the camera's baseline.
 */
import type { Analyser, AnalyserOutput, FrameToAnalyse } from '../../ports/analyser.ts';
import { createJpegDecoder, lumaStats, rgbInt32, sceneThumbnail } from './decode-jpeg.ts';
import { humanConfig, requiredModels, type HumanModels } from './human-config.ts';
import { holdModels, importHuman, installFileReading, releaseModels, unloadIfUnused, type HumanInstance, type HumanLibraryFiles } from './human-library.ts';
import { installLeanSliceKernels } from './lean-slice-kernels.ts';
import { signalsFromResult } from './signals-from-result.ts';

export interface OfflineAnalyserFiles extends HumanLibraryFiles {
  /** URL of @jsquash/jpeg's `codec/dec/mozjpeg_dec.wasm` (the JPEG decoder), read through `loadFile`. */
  jpegDecoderWasmUrl: string;
}

export interface OfflineAnalyserOptions extends OfflineAnalyserFiles {
  /** Body keypoints (MoveNet). Default true. */
  pose?: boolean;
  /** Hand detection and landmarks. Default true. */
  hands?: boolean;
  /** Also run the COCO object detector (phone, people): the costliest model. Default false. */
  objects?: boolean;
}

/** The models an analyser built with these options runs. */
export function offlineModels(options: Pick<OfflineAnalyserOptions, 'pose' | 'hands' | 'objects'>): HumanModels {
  return { pose: options.pose ?? true, hands: options.hands ?? true, objects: options.objects ?? false };
}

function modelName(version: string, models: HumanModels): string {
  const parts = ['blazeface', 'facemesh', 'iris', ...(models.pose ? ['movenet'] : []), ...(models.hands ? ['handtrack'] : []), ...(models.objects ? ['centernet'] : [])];
  return `human-${version} (${parts.join('+')})`;
}

// WASM runs on this thread one inference at a time anyway; queueing calls also keeps at most one decoded frame
// and one set of intermediate tensors alive, so memory stays flat however many frames arrive at once. The queue is
// shared by every analyser in the process because human's models and their state are module-level in its build:
// facemesh keeps the detector's face boxes in a module cache and reads them across awaits, so two detections
// interleaved there could measure one frame's face at another frame's box.
let queueTail: Promise<unknown> = Promise.resolve();

const KEEP_SCRATCH_VALUES = 1920 * 1080 * 3;
// The cabin camera's frame size (VGA: firmware/esp32-cam/src/portable/camera-profile.h).
const WARM_UP_WIDTH = 640;
const WARM_UP_HEIGHT = 480;

function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = queueTail.then(task, task);
  queueTail = result.catch(() => undefined);
  return result;
}

export function createOfflineAnalyser(options: OfflineAnalyserOptions): Analyser {
  const models = offlineModels(options);
  const jpeg = createJpegDecoder(() => options.loadFile(options.jpegDecoderWasmUrl));
  // The tensor's input values, reused frame after frame (calls run one at a time): see rgbInt32. Kept up to a
  // 1080p frame (25 MB); a rare larger one gets a buffer of its own rather than pinning hundreds of MB.
  let scratch = new Int32Array(0);
  let loading: Promise<HumanInstance> | null = null;
  let closed = false;

  function loadedHuman(): Promise<HumanInstance> {
    if (!loading) {
      const attempt = loadHuman(options, models);
      loading = attempt;
      // A failed load (a missing model file, say) is retried by the next call instead of being remembered.
      attempt.catch(() => {
        if (loading === attempt) loading = null;
      });
    }
    return loading;
  }

  return {
    name: 'offline',

    analyse(frame: FrameToAnalyse, callOptions?: { signal?: AbortSignal }): Promise<AnalyserOutput> {
      return oneAtATime(async () => {
        if (closed) throw new Error('The offline analyser is closed.');
        callOptions?.signal?.throwIfAborted();
        // Decoded before the models load: an unusable frame is rejected without paying for them.
        const decodeStarted = performance.now();
        const pixels = await jpeg.decode(frame.jpeg);
        const decodeMs = performance.now() - decodeStarted;
        const human = await loadedHuman();
        const started = performance.now();
        const { brightness, contrast } = lumaStats(pixels);
        const values = rgbInt32(pixels, scratch);
        if (values.buffer !== scratch.buffer && values.length <= KEEP_SCRATCH_VALUES) scratch = values;
        const input = human.tf.tensor(values, [1, pixels.height, pixels.width, 3], 'int32');
        let result;
        try {
          result = await human.detect(input);
        } finally {
          input.dispose();
        }
        if (result.error) throw new Error(`The offline analyser could not analyse the frame: ${result.error}`);
        return {
          analyser: 'offline',
          model: modelName(human.version, models),
          verdict: null,
          signals: signalsFromResult(result, { width: pixels.width, height: pixels.height, brightness, contrast, scene: sceneThumbnail(pixels), models }),
          // A local model bills nothing: no usage at all, not a zero-token call.
          usage: null,
          // This frame's own cost (decode + inference): not the wait in the queue, nor the one-off model load.
          latencyMs: Math.round(decodeMs + performance.now() - started),
        };
      });
    },

    warmUp(): Promise<void> {
      return oneAtATime(async () => {
        if (closed) throw new Error('The offline analyser is closed.');
        const human = await loadedHuman();
        // One pass over an empty frame: WASM kernels are compiled and tiered up on first use, which made a fresh
        // worker's first frames after the model load up to twice as slow as the rest. Nobody is found, nothing is kept.
        const input = human.tf.tensor(new Int32Array(WARM_UP_HEIGHT * WARM_UP_WIDTH * 3), [1, WARM_UP_HEIGHT, WARM_UP_WIDTH, 3], 'int32');
        try {
          await human.detect(input);
        } finally {
          input.dispose();
        }
      });
    },

    async close(): Promise<void> {
      closed = true;
      await queueTail;
      const human = await loading?.catch(() => null);
      loading = null;
      if (human) releaseModels(human);
    },
  };
}

async function loadHuman(files: OfflineAnalyserFiles, models: HumanModels): Promise<HumanInstance> {
  const { Human } = await importHuman(files);
  const human = new Human(humanConfig(files, models));
  installFileReading(human.tf, files);
  installLeanSliceKernels(human.tf);
  await human.load();
  // human logs a model it cannot load and carries on with an empty one; an analyser missing a model must not answer.
  const missing = requiredModels(models).filter((name) => !human.models.models[name]?.executor);
  if (missing.length > 0) {
    unloadIfUnused(human);
    throw new Error(`The offline analyser could not load model(s) ${missing.join(', ')} from ${files.modelBasePath}`);
  }
  // human falls back to the pure-JS CPU backend when WASM fails to start: ~10× slower, so say so instead.
  if (human.tf.getBackend() !== 'wasm') {
    unloadIfUnused(human);
    throw new Error(`The offline analyser's WASM backend did not start (tfjs runs on "${human.tf.getBackend()}"); check ${files.wasmPath}`);
  }
  holdModels(human);
  return human;
}
