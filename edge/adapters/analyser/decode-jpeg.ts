/**
 * Turns a camera frame's JPEG bytes into RGB pixels (pure JavaScript, no native code, so it runs wherever the
 * offline analyser does), and measures how bright the frame is.
 */
import { decode } from 'jpeg-js';
import { readJpegInfo } from '../../domain/frames/jpeg-info.ts';
import { AnalyserInputError } from '../../ports/analyser.ts';

export interface RgbFrame {
  width: number;
  height: number;
  /** Interleaved R, G, B bytes, row by row: width × height × 3. */
  rgb: Uint8Array;
}

// A camera frame is a few megapixels at most; the limits keep a hostile or corrupt header from allocating gigabytes.
const MAX_MEGAPIXELS = 25;
const MAX_DECODE_MEMORY_MB = 256;

export function decodeJpeg(bytes: Uint8Array): RgbFrame {
  // The same completeness check uploads get: jpeg-js's tolerant decoding can turn a cut-off scan into a frame
  // that is grey where the data ends, and signals from half a frame would be wrong, not merely incomplete.
  const info = readJpegInfo(bytes);
  if (!info.ok) throw new AnalyserInputError(info.message);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: MAX_MEGAPIXELS,
      maxMemoryUsageInMB: MAX_DECODE_MEMORY_MB,
    });
  } catch (cause) {
    throw new AnalyserInputError(`The JPEG could not be decoded: ${(cause as Error).message}`, { cause });
  }
  if (decoded.width === 0 || decoded.height === 0 || decoded.data.length !== decoded.width * decoded.height * 3) {
    throw new AnalyserInputError(`The JPEG decoded to an unusable image (${decoded.width}×${decoded.height}).`);
  }
  return { width: decoded.width, height: decoded.height, rgb: decoded.data };
}

const luma = (rgb: Uint8Array, i: number) => 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];

/**
 * Mean luma (ITU-R BT.601 weights, as JPEG's own YCbCr uses), 0–255 — a black lens is near 0 — and its standard
 * deviation: a lens covered by tape or a finger is uniform whatever its brightness.
 */
export function lumaStats(frame: RgbFrame): { brightness: number; contrast: number } {
  const { rgb } = frame;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    const y = luma(rgb, i);
    sum += y;
    squares += y * y;
  }
  const pixels = rgb.length / 3;
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
export function sceneThumbnail(frame: RgbFrame): number[] {
  const cells = new Array<number>(SCENE_COLUMNS * SCENE_ROWS).fill(0);
  const counts = new Array<number>(SCENE_COLUMNS * SCENE_ROWS).fill(0);
  // Every 4th pixel each way is plenty for a cell mean, and keeps this cheap on a large frame.
  for (let y = 0; y < frame.height; y += 4) {
    const row = Math.min(SCENE_ROWS - 1, Math.floor((y * SCENE_ROWS) / frame.height));
    for (let x = 0; x < frame.width; x += 4) {
      const cell = row * SCENE_COLUMNS + Math.min(SCENE_COLUMNS - 1, Math.floor((x * SCENE_COLUMNS) / frame.width));
      cells[cell] += luma(frame.rgb, (y * frame.width + x) * 3);
      counts[cell] += 1;
    }
  }
  return cells.map((sum, i) => (counts[i] ? Math.round(sum / counts[i]) : 0));
}
