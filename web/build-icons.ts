/**
 * The app's icons, drawn at build time (web/build.ts writes them with the other assets): a navy tile with a taxi-yellow
 * ring and pupil — a watching eye — for the home screen (PNG, 192 and 512 px, safe for maskable crops: the drawing
 * stays inside the middle 60 %) and the browser tab (SVG). A tiny PNG encoder (RGBA, zlib) is enough for two flat
 * colours; no image library needed.
 */
import { deflateSync } from 'node:zlib';

const NAVY = [0x0f, 0x17, 0x2a];
const YELLOW = [0xfa, 0xcc, 0x15];
const WHITE = [0xff, 0xff, 0xff];

/** The drawing in unit coordinates (centre 0,0; the tile spans −1…1): which colour a point is. */
function colourAt(x: number, y: number): number[] {
  const r = Math.hypot(x, y);
  if (r < 0.17) return NAVY; // pupil
  if (r < 0.3) return WHITE; // iris highlight
  if (r < 0.55) return YELLOW; // ring
  return NAVY;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A square PNG icon of `size` pixels (4×4 supersampled edges). */
export function pngIcon(size: number): Uint8Array {
  const rows = new Uint8Array(size * (1 + size * 3));
  for (let py = 0; py < size; py++) {
    rows[py * (1 + size * 3)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const c = colourAt(((px + (sx + 0.5) / 4) / size) * 2 - 1, ((py + (sy + 0.5) / 4) / size) * 2 - 1);
          for (let i = 0; i < 3; i++) sum[i] += c[i];
        }
      for (let i = 0; i < 3; i++) rows[py * (1 + size * 3) + 1 + px * 3 + i] = Math.round(sum[i] / 16);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [signature, chunk('IHDR', header), chunk('IDAT', new Uint8Array(deflateSync(rows))), chunk('IEND', new Uint8Array())];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    png.set(part, at);
    at += part.length;
  }
  return png;
}

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 2 2"><rect x="-1" y="-1" width="2" height="2" rx=".35" fill="#0f172a"/><circle r=".55" fill="#facc15"/><circle r=".3" fill="#fff"/><circle r=".17" fill="#0f172a"/></svg>`;
