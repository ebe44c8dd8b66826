/**
 * A labelled image folder generated on the spot (tiny JPEGs encoded with jpeg-js), so the harness's tests need no
 * images from elsewhere and nothing with a licence to carry. Each image's colour depends on its label and index,
 * so every file is distinct and a test can tell which image a request carried.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';

export function tinyJpeg(seed: number, width = 32, height = 24): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (seed * 37 + x * 4) % 256;
      data[i + 1] = (seed * 91 + y * 6) % 256;
      data[i + 2] = (seed * 53) % 256;
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

/**
 * Writes `count` images per label folder and returns each file's bytes by relative path (`phone/002.jpg`). Folders
 * written with different `firstSeed`s (far enough apart) hold no two identical images.
 */
export async function writeLabelledFolder(root: string, counts: Record<string, number>, firstSeed = 1): Promise<Map<string, Uint8Array>> {
  const written = new Map<string, Uint8Array>();
  let seed = firstSeed;
  for (const [label, count] of Object.entries(counts)) {
    await mkdir(join(root, label), { recursive: true });
    for (let i = 1; i <= count; i++) {
      const bytes = tinyJpeg(seed++);
      const file = `${label}/${String(i).padStart(3, '0')}.jpg`;
      await writeFile(join(root, file), bytes);
      written.set(file, bytes);
    }
  }
  return written;
}
