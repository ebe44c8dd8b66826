/**
 * The WASM JPEG decoder on real frames (../shared/data/images, see its PROVENANCE.md), checked against jpeg-js (the
 * pure-JS decoder it replaced) pixel by pixel, and on broken input: a clear AnalyserInputError, and the next good
 * frame still decodes.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode as decodeWithJpegJs } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';
import { AnalyserInputError } from '../../ports/analyser.ts';
import { offlineAnalyserFiles } from '../../runtime/offline-analyser-files.ts';
import { createJpegDecoder, lumaStats, rgbInt32 } from './decode-jpeg.ts';

const IMAGES = join(sharedDataDir(), 'images');
const bytesOf = (path: string) => new Uint8Array(readFileSync(join(IMAGES, path)));
const wasmUrl = offlineAnalyserFiles().jpegDecoderWasmUrl;
const readWasm = async () => new Uint8Array(await readFile(new URL(wasmUrl)));

// Baseline and progressive frames, 4:2:0 and 4:4:4, from dashcams and a portrait.
const FRAMES = ['dashcam/udacity_advlane_test1.jpg', 'dashcam/udacity_lanelines_solidYellowCurve.jpg', 'photos/skimage_astronaut_from_png.jpg'];

describe('JPEG decoder (mozjpeg WASM)', () => {
  it.each(FRAMES)('decodes %s to the same pixels as jpeg-js, within rounding', async (path) => {
    const bytes = bytesOf(path);
    const frame = await createJpegDecoder(readWasm).decode(bytes);
    const reference = decodeWithJpegJs(bytes, { useTArray: true, formatAsRGBA: true });
    expect([frame.width, frame.height]).toEqual([reference.width, reference.height]);
    expect(frame.rgba.length).toBe(reference.width * reference.height * 4);
    // The two IDCTs and chroma upsamplers round differently: a few levels on average, never a different picture.
    let difference = 0;
    for (let i = 0; i < frame.rgba.length; i++) difference += Math.abs(frame.rgba[i] - reference.data[i]);
    expect(difference / frame.rgba.length).toBeLessThan(3);
    const ours = lumaStats(frame);
    const theirs = lumaStats({ width: reference.width, height: reference.height, rgba: new Uint8ClampedArray(reference.data) });
    expect(Math.abs(ours.brightness - theirs.brightness)).toBeLessThan(1);
  });

  it('hands the models R, G, B as int32, in a reused buffer when it is large enough and in a new one when not', async () => {
    const frame = await createJpegDecoder(readWasm).decode(bytesOf(FRAMES[2])); // 512×512
    const pixels = frame.width * frame.height;
    const large = new Int32Array(pixels * 3 + 30);
    const values = rgbInt32(frame, large);
    expect(values.buffer).toBe(large.buffer);
    expect(values.length).toBe(pixels * 3);
    const last = pixels - 1;
    expect([...values.subarray(last * 3)]).toEqual([...frame.rgba.subarray(last * 4, last * 4 + 3)]);
    const fresh = rgbInt32(frame, new Int32Array(10));
    expect(fresh.length).toBe(pixels * 3);
    expect([...fresh.subarray(0, 3)]).toEqual([...frame.rgba.subarray(0, 3)]);
  });

  it('refuses a cut-off, a corrupt and a non-JPEG upload with the reason, and decodes the next good frame', async () => {
    const decoder = createJpegDecoder(readWasm);
    const good = bytesOf(FRAMES[0]);
    // Whole and well-formed around it, so only libjpeg itself can find what is wrong: a bogus Huffman table.
    const corrupt = good.slice();
    const dht = good.findIndex((b, i) => b === 0xff && good[i + 1] === 0xc4);
    corrupt.fill(0xff, dht + 5, dht + 21);
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 30_000), /./],
      [new TextEncoder().encode('hello, this is not a jpeg'), /./],
      [corrupt, /could not be decoded: Bogus Huffman table/],
    ];
    for (const [bytes, message] of cases) {
      const failure = await decoder.decode(bytes).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AnalyserInputError);
      expect((failure as Error).message).toMatch(message);
      const next = await decoder.decode(good);
      expect([next.width, next.height]).toEqual([1280, 720]);
    }
  });

  it('retries loading the decoder after a failed load instead of failing for ever', async () => {
    let calls = 0;
    const decoder = createJpegDecoder(async () => {
      calls += 1;
      if (calls === 1) throw new Error('disk hiccup');
      return readWasm();
    });
    const good = bytesOf(FRAMES[0]);
    await expect(decoder.decode(good)).rejects.toThrow('disk hiccup');
    expect((await decoder.decode(good)).width).toBe(1280);
    expect(calls).toBe(2);
  });
});
