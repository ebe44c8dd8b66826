import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICON_SVG, pngIcon } from './build-icons.ts';

describe('app icons', () => {
  it('encodes a valid PNG of the asked size: navy corners, the yellow ring, the navy pupil', () => {
    const png = pngIcon(192);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([192, 192]);
    const idatLength = view.getUint32(33);
    const pixels = inflateSync(png.subarray(41, 41 + idatLength));
    const at = (x: number, y: number) => [...pixels.subarray(y * (1 + 192 * 3) + 1 + x * 3, y * (1 + 192 * 3) + 4 + x * 3)];
    expect(at(0, 0)).toEqual([0x0f, 0x17, 0x2a]);
    expect(at(96 + 40, 96)).toEqual([0xfa, 0xcc, 0x15]);
    expect(at(96, 96)).toEqual([0x0f, 0x17, 0x2a]);
    expect(ICON_SVG).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});
