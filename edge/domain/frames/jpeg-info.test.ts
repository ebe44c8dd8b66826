/**
 * The JPEG reader against real files (/work/shared/data/images; dimensions as listed in its PROVENANCE.md and
 * confirmed with `file(1)`, which misreads only the arithmetic-coded and junk-header files), plus synthetic cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import { describe, expect, it } from 'vitest';
import { MAX_JPEG_PIXELS, MAX_JPEG_SIDE, readJpegInfo, TRAILING_WINDOW_BYTES } from './jpeg-info.ts';

const IMAGES = join(sharedDataDir(), 'images');
const read = (path: string) => new Uint8Array(readFileSync(join(IMAGES, path)));

const DASHCAM: Record<string, [number, number]> = {
  'udacity_advlane_straight_lines1.jpg': [1280, 720],
  'udacity_advlane_straight_lines2.jpg': [1280, 720],
  'udacity_advlane_test1.jpg': [1280, 720],
  'udacity_advlane_test2.jpg': [1280, 720],
  'udacity_advlane_test3.jpg': [1280, 720],
  'udacity_advlane_test4.jpg': [1280, 720],
  'udacity_advlane_test5.jpg': [1280, 720],
  'udacity_advlane_test6.jpg': [1280, 720],
  'udacity_lanelines_solidWhiteCurve.jpg': [960, 540],
  'udacity_lanelines_solidWhiteRight.jpg': [960, 540],
  'udacity_lanelines_solidYellowCurve.jpg': [960, 540],
  'udacity_lanelines_solidYellowCurve2.jpg': [960, 540],
  'udacity_lanelines_solidYellowLeft.jpg': [960, 540],
  'udacity_lanelines_whiteCarLaneSwitch.jpg': [960, 540],
};

// [file, width, height, components, precision, SOF marker]
const EDGE_CASES: [string, number, number, number, number, number][] = [
  ['12bit_libjpeg-turbo_monkey12.jpg', 149, 227, 3, 12, 0xc1],
  ['arithmetic_coded_libjpeg-turbo_testimgari.jpg', 227, 149, 3, 8, 0xc9],
  ['cmyk_pillow_pil_sample_cmyk.jpg', 100, 100, 4, 8, 0xc0],
  ['derived_dashcam_cmyk.jpg', 1280, 720, 4, 8, 0xc0],
  ['derived_dashcam_exif_orientation_6.jpg', 720, 1280, 3, 8, 0xc0],
  ['derived_dashcam_progressive.jpg', 1280, 720, 3, 8, 0xc2],
  ['derived_dashcam_trailing_garbage.jpg', 1280, 720, 3, 8, 0xc0],
  ['exif_Landscape_1.jpg', 1800, 1200, 3, 8, 0xc0],
  ['exif_Landscape_6.jpg', 1200, 1800, 3, 8, 0xc0],
  ['exif_Portrait_8.jpg', 1800, 1200, 3, 8, 0xc0],
  ...[2, 3, 4, 5, 6, 7, 8].map((n) => [`exif_orientation_${n}_pillow_hopper.jpg`, 128, 128, 3, 8, 0xc0] as [string, number, number, number, number, number]),
  ['grayscale_pillow_hopper_gray.jpg', 128, 128, 1, 8, 0xc0],
  ['junk_bytes_between_markers_pillow_junk_jpeg_header.jpg', 1024, 768, 3, 8, 0xc0],
  ['progressive_pillow_app13-multiple.jpg', 256, 160, 3, 8, 0xc2],
  ['short_app14_segment_pillow_truncated_app14.jpg', 100, 100, 3, 8, 0xc0],
  ['trailing_data_pillow_sugarshack_bad_mpo_header.jpg', 640, 480, 3, 8, 0xc0],
];

const jpegOf = (...segments: number[][]) => new Uint8Array([0xff, 0xd8, ...segments.flat()]);
const SOF0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
const SOS = [0xff, 0xda, 0x00, 0x0c, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0];
const EOI = [0xff, 0xd9];

describe('readJpegInfo', () => {
  it.each(Object.entries(DASHCAM))('reads dashcam frame %s as %j', (name, [width, height]) => {
    expect(readJpegInfo(read(`dashcam/${name}`))).toMatchObject({ ok: true, width, height, components: 3 });
  });

  it.each(EDGE_CASES)('accepts edge case %s (%ix%i)', (name, width, height, components, precision, frameMarker) => {
    expect(readJpegInfo(read(`jpeg-edge-cases/${name}`))).toMatchObject({ ok: true, width, height, components, precision, frameMarker });
  });

  it('accepts every other sample photo', () => {
    for (const dir of ['photos', 'camera-calibration']) {
      for (const name of readdirSync(join(IMAGES, dir))) expect(readJpegInfo(read(`${dir}/${name}`)), name).toMatchObject({ ok: true });
    }
  });

  it.each(['derived_dashcam_truncated_60pct.jpg', 'truncated_pillow_truncated_jpeg.jpg', 'truncated_skimage_truncated.jpg'])('refuses truncated %s', (name) => {
    expect(readJpegInfo(read(`jpeg-edge-cases/${name}`))).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('refuses every cut of a real frame, and accepts the whole', () => {
    const bytes = read('dashcam/udacity_lanelines_solidWhiteCurve.jpg');
    for (const cut of [3, 20, 200, 600, 1000, 5000, bytes.length / 2, bytes.length - 3, bytes.length - 1]) {
      expect(readJpegInfo(bytes.subarray(0, Math.floor(cut))).ok, `cut at ${cut}`).toBe(false);
    }
    expect(readJpegInfo(bytes).ok).toBe(true);
  });

  it('finds the end of a scan whatever the stuffed bytes, restart markers and fill bytes', () => {
    const data = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd7, 0x78];
    expect(readJpegInfo(jpegOf(SOF0, SOS, data, [0xff, 0xff], EOI))).toMatchObject({ ok: true, width: 32, height: 16, end: 2 + SOF0.length + SOS.length + data.length + 4 });
    // A stuffed FF D9 inside a segment's payload (an EXIF thumbnail's EOI) is not the end of the image.
    const app1 = [0xff, 0xe1, 0x00, 0x06, 0xff, 0xd8, 0xff, 0xd9];
    expect(readJpegInfo(jpegOf(app1, SOF0, SOS, [1, 2, 3]))).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('refuses what is not a JPEG, or has no frame header', () => {
    expect(readJpegInfo(new TextEncoder().encode('GIF89a........'))).toMatchObject({ ok: false, problem: 'not_jpeg' });
    expect(readJpegInfo(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toMatchObject({ ok: false, problem: 'not_jpeg' });
    expect(readJpegInfo(new Uint8Array())).toMatchObject({ ok: false, problem: 'not_jpeg' });
    expect(readJpegInfo(jpegOf(EOI))).toMatchObject({ ok: false });
    expect(readJpegInfo(jpegOf([0xff, 0xe0, 0x00, 0x04, 0, 0], EOI))).toMatchObject({ ok: false, problem: 'no_frame_header' });
    expect(readJpegInfo(jpegOf(SOS, [1], EOI))).toMatchObject({ ok: false, problem: 'no_frame_header' });
    expect(readJpegInfo(jpegOf([0xff, 0xe0, 0x00, 0x01], EOI))).toMatchObject({ ok: false, problem: 'not_jpeg' });
  });

  it('does not take DHT, JPG or DAC for a frame header', () => {
    for (const code of [0xc4, 0xc8, 0xcc]) {
      const lookalike = [0xff, code, 0x00, 0x0b, 0x08, 0x7f, 0x7f, 0x7f, 0x7f, 0x03, 1, 0x22, 0];
      expect(readJpegInfo(jpegOf(lookalike, SOF0, SOS, [1], EOI))).toMatchObject({ ok: true, width: 32, height: 16 });
    }
  });

  it('tolerates a short tail after EOI, or an appended image that ends in EOI, and nothing longer', () => {
    const image = [...SOF0, ...SOS, 1, 2, 3, ...EOI];
    expect(readJpegInfo(jpegOf(image, new Array(TRAILING_WINDOW_BYTES - 2).fill(0x20)))).toMatchObject({ ok: true, width: 32 });
    expect(readJpegInfo(jpegOf(image, new Array(TRAILING_WINDOW_BYTES + 10).fill(0x20)))).toMatchObject({ ok: false, problem: 'trailing_data' });
    expect(readJpegInfo(jpegOf(image, new Array(10_000).fill(0x20), [0xff, 0xd8], image))).toMatchObject({ ok: true, width: 32 });
  });

  it('refuses a header claiming more pixels than the documented maximum, and accepts the largest allowed', () => {
    const sof = (height: number, width: number) => [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    expect(readJpegInfo(jpegOf(sof(0xffff, 0xffff), SOS, [0x00], EOI))).toMatchObject({ ok: false, problem: 'too_large' });
    expect(readJpegInfo(jpegOf(sof(100, MAX_JPEG_SIDE + 1), SOS, [0x00], EOI))).toMatchObject({ ok: false, problem: 'too_large' });
    expect(readJpegInfo(jpegOf(sof(8000, 8000), SOS, [0x00], EOI))).toMatchObject({ ok: false, problem: 'too_large' });
    expect(readJpegInfo(jpegOf(sof(3000, 4000), SOS, [0x00], EOI))).toMatchObject({ ok: true, width: 4000, height: 3000 });
    expect(MAX_JPEG_PIXELS).toBeGreaterThanOrEqual(4000 * 3000);
  });
});
