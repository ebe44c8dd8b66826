/**
 * Turns a camera frame's JPEG bytes into pixels with mozjpeg compiled to WASM (@jsquash/jpeg: no native code, so it
 * runs wherever the offline analyser does), and measures how bright the frame is. On a 1280×720 frame mozjpeg
 * decodes in ≈ 19 ms here where the pure-JS jpeg-js it replaced took ≈ 50 ms, and it leaves one buffer per frame
 * for the garbage collector instead of jpeg-js's many.
 */
import decodeWithMozjpeg, { init as initMozjpeg } from '@jsquash/jpeg/decode.js';
import { readJpegInfo } from '../../domain/frames/jpeg-info.ts';
import { AnalyserInputError } from '../../ports/analyser.ts';

export interface DecodedFrame {
  width: number;
  height: number;
  /** Interleaved R, G, B, A bytes, row by row: width × height × 4 (A is always 255). */
  rgba: Uint8ClampedArray;
}

export interface JpegDecoder {
  /** Rejects with AnalyserInputError for bytes that are not a whole, decodable JPEG of a sane size. */
  decode(bytes: Uint8Array): Promise<DecodedFrame>;
}

type MozjpegInit = (module: WebAssembly.Module, overrides: Record<string, unknown>) => Promise<void>;

/** `wasm` resolves with the bytes of @jsquash/jpeg's `codec/dec/mozjpeg_dec.wasm` (each runtime reads its own files). */
export function createJpegDecoder(wasm: () => Promise<Uint8Array>): JpegDecoder {
  let compiled: Promise<WebAssembly.Module> | null = null;
  let ready: Promise<void> | null = null;
  // libjpeg reports what it thinks of the data on stderr; the last line says why a decode failed.
  let lastMessage = '';
  const instantiate = async () => {
    compiled ??= wasm().then((bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>));
    const module = await compiled.catch((error: unknown) => {
      compiled = null;
      throw error;
    });
    await (initMozjpeg as unknown as MozjpegInit)(module, { print: () => {}, printErr: (text: string) => (lastMessage = text) });
  };

  return {
    async decode(bytes) {
      // The same completeness check uploads get: libjpeg's tolerant decoding turns a cut-off scan into a frame
      // that is grey where the data ends, and signals from half a frame would be wrong, not merely incomplete.
      const info = readJpegInfo(bytes);
      // It also refuses a header claiming more pixels than any camera frame has, before anything is allocated.
      if (!info.ok) throw new AnalyserInputError(info.message);
      ready ??= instantiate().catch((error: unknown) => {
        ready = null;
        throw error;
      });
      await ready;
      lastMessage = '';
      let image: ImageData;
      try {
        image = await decodeWithMozjpeg(bytes.slice().buffer as ArrayBuffer);
      } catch (cause) {
        // libjpeg gave up (exit): a fresh instance for the next frame, so nothing it left allocated accumulates.
        ready = null;
        const reason = lastMessage || (cause instanceof Error ? cause.message : 'unknown error');
        throw new AnalyserInputError(`The JPEG could not be decoded: ${reason}`, { cause });
      }
      if (image.width === 0 || image.height === 0 || image.data.length !== image.width * image.height * 4) {
        throw new AnalyserInputError(`The JPEG decoded to an unusable image (${image.width}×${image.height}).`);
      }
      return { width: image.width, height: image.height, rgba: image.data };
    },
  };
}

/**
 * The frame's R, G, B values as int32 (what tfjs takes for an image tensor), written into `scratch` when it is large
 * enough — the caller reuses one buffer, since tfjs copies the values into WASM memory when it makes the tensor:
 * an 11 MB array per 1280×720 frame would otherwise be garbage every time.
 */
export function rgbInt32(frame: DecodedFrame, scratch: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const pixels = frame.width * frame.height;
  const out = scratch.length >= pixels * 3 ? scratch.subarray(0, pixels * 3) : new Int32Array(pixels * 3);
  const { rgba } = frame;
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += 3) {
    out[o] = rgba[i];
    out[o + 1] = rgba[i + 1];
    out[o + 2] = rgba[i + 2];
  }
  return out;
}

const luma = (rgba: Uint8ClampedArray, i: number) => 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];

/**
 * Mean luma (ITU-R BT.601 weights, as JPEG's own YCbCr uses), 0–255 — a black lens is near 0 — and its standard
 * deviation: a lens covered by tape or a finger is uniform whatever its brightness.
 */
export function lumaStats(frame: DecodedFrame): { brightness: number; contrast: number } {
  const { rgba } = frame;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const y = luma(rgba, i);
    sum += y;
    squares += y * y;
  }
  const pixels = rgba.length / 4;
  if (pixels === 0) return { brightness: 0, contrast: 0 };
  const mean = sum / pixels;
  return { brightness: mean, contrast: Math.sqrt(Math.max(0, squares / pixels - mean * mean)) };
}

export const SCENE_COLUMNS = 12;
export const SCENE_ROWS = 9;

/**
 * The frame shrunk to 12×9 grey cells (mean luma per cell, 0–255, row by row): enough to tell that the camera now
 * looks at a different picture (it was moved), too coarse to say anything about a person.
 */
export function sceneThumbnail(frame: DecodedFrame): number[] {
  const cells = new Array<number>(SCENE_COLUMNS * SCENE_ROWS).fill(0);
  const counts = new Array<number>(SCENE_COLUMNS * SCENE_ROWS).fill(0);
  // Every 4th pixel each way is plenty for a cell mean, and keeps this cheap on a large frame.
  for (let y = 0; y < frame.height; y += 4) {
    const row = Math.min(SCENE_ROWS - 1, Math.floor((y * SCENE_ROWS) / frame.height));
    for (let x = 0; x < frame.width; x += 4) {
      const cell = row * SCENE_COLUMNS + Math.min(SCENE_COLUMNS - 1, Math.floor((x * SCENE_COLUMNS) / frame.width));
      cells[cell] += luma(frame.rgba, (y * frame.width + x) * 4);
      counts[cell] += 1;
    }
  }
  return cells.map((sum, i) => (counts[i] ? Math.round(sum / counts[i]) : 0));
}
