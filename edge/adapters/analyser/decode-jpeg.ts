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

/** Mean luma (ITU-R BT.601 weights, as JPEG's own YCbCr uses), 0–255: a covered or black lens is near 0. */
export function meanLuminance(frame: RgbFrame): number {
  const { rgb } = frame;
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3) sum += 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  const pixels = rgb.length / 3;
  return pixels === 0 ? 0 : sum / pixels;
}
