/**
 * Reads what the platform needs to know about an uploaded JPEG without decoding it: that it is one, that it
 * is complete, and its size in pixels. Pure (bytes in, facts out) so it runs on every runtime.
 *
 * The segment walk follows ITU T.81 (B.1.1.2, B.1.1.3): markers are 0xFF + code, any number of 0xFF fill bytes
 * may precede a code, and entropy-coded data after each SOS is skipped by looking for a 0xFF that is not
 * followed by 0x00 (byte stuffing) or RST0..RST7. The walk therefore reaches the EOI of every complete JPEG
 * (baseline, extended 12-bit, progressive, lossless, arithmetic-coded; any number of components) and never
 * reaches one in a file cut off mid-scan, which is what an interrupted upload looks like.
 *
 * Like libjpeg, stray bytes between segments are skipped up to the next 0xFF: real encoders write them
 * (an APP14 segment with a length one byte short, "junk" after a COM segment) and decoders display those files.
 */

export interface JpegInfo {
  width: number;
  height: number;
  /** 1 grayscale, 3 YCbCr/RGB, 4 CMYK/YCCK. */
  components: number;
  /** Sample precision in bits: 8, or 12 for extended sequential, 2–16 for lossless. */
  precision: number;
  /** The SOFn marker code (0xC0 baseline, 0xC2 progressive, 0xC9 arithmetic…). */
  frameMarker: number;
  /** Offset just after the first image's EOI; bytes after it are trailing data. */
  end: number;
}

export type JpegProblem = 'not_jpeg' | 'no_frame_header' | 'truncated' | 'trailing_data' | 'too_large';

/**
 * The largest picture accepted: 8192 pixels a side and 32 megapixels. A header is a few bytes, but decoding what
 * it claims (65535×65535 is 17 GB of pixels) would exhaust the analyser; no dash or cabin camera comes close.
 */
export const MAX_JPEG_SIDE = 8192;
export const MAX_JPEG_PIXELS = 32_000_000;

export type JpegResult = ({ ok: true } & JpegInfo) | { ok: false; problem: JpegProblem; message: string };

/**
 * Bytes after the EOI that are tolerated: some cameras pad frames or append a tag, MPO cameras append a second
 * image. Trailing bytes are accepted only when the body's last EOI marker lies within this many bytes of its end
 * (a complete first image plus a short tail, or an appended image that is itself terminated); a body that goes
 * on for longer after its last EOI is more likely two uploads glued together or a cut-off one, and is refused.
 */
export const TRAILING_WINDOW_BYTES = 4096;

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;

/** SOF0..SOF15 carry the frame header; C4 (DHT), C8 (JPG, reserved) and CC (DAC) share the range but do not. */
const isFrameMarker = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
const isRestart = (code: number) => code >= 0xd0 && code <= 0xd7;

const fail = (problem: JpegProblem, message: string): JpegResult => ({ ok: false, problem, message });

export function readJpegInfo(bytes: Uint8Array): JpegResult {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI || bytes[2] !== 0xff) {
    return fail('not_jpeg', 'not a JPEG: the body does not start with the JPEG SOI marker (FF D8 FF)');
  }
  const length = bytes.length;
  let frame: Omit<JpegInfo, 'end'> | null = null;
  let pos = 2;

  while (pos < length) {
    // Stray bytes between segments: skip to the next 0xFF, as libjpeg does.
    if (bytes[pos] !== 0xff) {
      pos++;
      continue;
    }
    while (pos < length && bytes[pos] === 0xff) pos++; // fill bytes
    if (pos >= length) break;
    const code = bytes[pos++];
    if (code === 0x00) continue; // a stuffed 0xFF outside a scan: junk, keep looking
    if (code === EOI) {
      if (!frame) return fail('no_frame_header', 'not a usable JPEG: it ends before any frame header (SOFn)');
      return finish(bytes, { ...frame, end: pos });
    }
    if (code === SOI || code === TEM || isRestart(code)) continue; // standalone markers without a length
    if (pos + 2 > length) break;
    const segmentLength = (bytes[pos] << 8) | bytes[pos + 1];
    if (segmentLength < 2) return fail('not_jpeg', `not a JPEG: marker FF ${hex(code)} has an impossible length ${segmentLength}`);
    const segmentEnd = pos + segmentLength;
    if (segmentEnd > length) break;

    if (isFrameMarker(code) && !frame) {
      if (segmentLength < 8) return fail('not_jpeg', `not a JPEG: frame header FF ${hex(code)} is too short`);
      const precision = bytes[pos + 2];
      const height = (bytes[pos + 3] << 8) | bytes[pos + 4];
      const width = (bytes[pos + 5] << 8) | bytes[pos + 6];
      const components = bytes[pos + 7];
      // Height 0 means "defined later by a DNL segment": legal but unheard of in cameras; refused rather than guessed.
      if (width === 0 || height === 0 || components === 0) {
        return fail('no_frame_header', `not a usable JPEG: frame header says ${width}x${height} with ${components} components`);
      }
      if (width > MAX_JPEG_SIDE || height > MAX_JPEG_SIDE || width * height > MAX_JPEG_PIXELS) {
        return fail('too_large', `JPEG of ${width}x${height} pixels is larger than the ${MAX_JPEG_SIDE} pixels a side and ${MAX_JPEG_PIXELS / 1e6} megapixels accepted`);
      }
      frame = { width, height, components, precision, frameMarker: code };
    }
    pos = segmentEnd;
    if (code === SOS) {
      if (!frame) return fail('no_frame_header', 'not a usable JPEG: scan data before any frame header (SOFn)');
      pos = skipEntropyCodedData(bytes, pos);
    }
  }
  if (!frame) return fail('truncated', 'incomplete JPEG: the bytes end inside the headers, before any image data');
  return fail('truncated', 'incomplete JPEG: no end-of-image marker (FF D9); the upload was probably cut off');
}

/** Returns the offset of the 0xFF that starts the next real marker after a scan (or the end of the bytes). */
function skipEntropyCodedData(bytes: Uint8Array, from: number): number {
  let pos = from;
  const length = bytes.length;
  while (pos < length) {
    const at = bytes.indexOf(0xff, pos);
    if (at < 0 || at + 1 >= length) return length;
    let next = at + 1;
    while (next < length && bytes[next] === 0xff) next++; // fill bytes before a marker code
    if (next >= length) return length;
    const code = bytes[next];
    if (code === 0x00 || isRestart(code)) {
      pos = next + 1;
      continue;
    }
    return next - 1; // keep one 0xFF so the segment loop sees a marker
  }
  return length;
}

function finish(bytes: Uint8Array, info: JpegInfo): JpegResult {
  const trailing = bytes.length - info.end;
  if (trailing === 0) return { ok: true, ...info };
  // The last EOI anywhere in the tail window (an appended MPO image ends with its own), else the first image's.
  const windowStart = Math.max(info.end - 2, bytes.length - TRAILING_WINDOW_BYTES);
  for (let i = bytes.length - 2; i >= windowStart; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === EOI) return { ok: true, ...info };
  }
  return fail('trailing_data', `not a single JPEG: ${trailing} bytes follow its end-of-image marker and do not end in one`);
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
