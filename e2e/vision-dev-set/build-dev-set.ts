/**
 * Builds the vision development set from images we may redistribute (../shared/data/images, see PROVENANCE.md here):
 * labelled folders in the layout `npm run eval:vision` reads, composed on the spot (mirrored, cropped, shifted,
 * darkened, covered) with jpeg-js, so nothing but this recipe is kept in the repository.
 *
 *   npx tsx e2e/vision-dev-set/build-dev-set.ts <folder>
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

type Transform = (image: Rgba) => Rgba;

const mirror: Transform = ({ width, height, data }) => {
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), (y * width + (width - 1 - x)) * 4);
  return { width, height, data: out };
};

/** The part of the picture from (x, y), w × h, as fractions of its size: a camera nearer, or mounted elsewhere. */
const crop = (fx: number, fy: number, fw: number, fh: number): Transform => ({ width, height, data }) => {
  const [x0, y0, w, h] = [Math.round(fx * width), Math.round(fy * height), Math.round(fw * width), Math.round(fh * height)];
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) out.set(data.subarray(((y0 + y) * width + x0) * 4, ((y0 + y) * width + x0 + w) * 4), y * w * 4);
  return { width: w, height: h, data: out };
};

/** Every channel times `factor` (dusk, a tinted windscreen, a lens covered by a hand). */
const brightness = (factor: number): Transform => ({ width, height, data }) => {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = i % 4 === 3 ? 255 : Math.min(255, Math.round(data[i]! * factor));
  return { width, height, data: out };
};

const solid = (width: number, height: number, value: number): Rgba => ({ width, height, data: new Uint8Array(width * height * 4).fill(value) });

interface Item {
  label: string;
  name: string;
  source?: string;
  make: (source: Rgba | null) => Rgba;
}

const PORTRAIT = 'photos/skimage_astronaut_from_png.jpg';
const HOPPER = 'photos/pillow_hopper.jpg';
const CROWD = 'photos/sharp_concert.jpg';

/** The set: what each file is made of (see PROVENANCE.md). */
export const DEV_SET: Item[] = [
  // A person facing the camera, as a cabin camera in front of the driver sees them.
  { label: 'safe', name: 'front__astronaut.jpg', source: PORTRAIT, make: (s) => s! },
  { label: 'safe', name: 'front__astronaut-mirrored.jpg', source: PORTRAIT, make: (s) => mirror(s!) },
  { label: 'safe', name: 'front__astronaut-closer.jpg', source: PORTRAIT, make: (s) => crop(0.1, 0, 0.8, 0.8)(s!) },
  { label: 'safe', name: 'front__astronaut-left.jpg', source: PORTRAIT, make: (s) => crop(0, 0, 0.85, 0.85)(s!) },
  { label: 'safe', name: 'front__astronaut-right.jpg', source: PORTRAIT, make: (s) => crop(0.15, 0.05, 0.85, 0.85)(s!) },
  { label: 'safe', name: 'front__astronaut-dusk.jpg', source: PORTRAIT, make: (s) => brightness(0.45)(s!) },
  { label: 'safe', name: 'hopper__portrait.jpg', source: HOPPER, make: (s) => s! },
  { label: 'safe', name: 'hopper__portrait-mirrored.jpg', source: HOPPER, make: (s) => mirror(s!) },
  // Nobody in view: a cup, a chessboard, a launch pad, a road.
  { label: 'no_driver', name: 'empty__coffee.jpg', source: 'photos/skimage_coffee_from_png.jpg', make: (s) => s! },
  { label: 'no_driver', name: 'empty__chessboard.jpg', source: 'camera-calibration/udacity_calibration1.jpg', make: (s) => s! },
  { label: 'no_driver', name: 'empty__rocket.jpg', source: 'photos/skimage_rocket.jpg', make: (s) => s! },
  { label: 'no_driver', name: 'empty__retina.jpg', source: 'photos/skimage_retina.jpg', make: (s) => s! },
  // A covered or black lens.
  { label: 'blocked', name: 'covered__black.jpg', make: () => solid(640, 480, 0) },
  { label: 'blocked', name: 'covered__tape.jpg', make: () => solid(640, 480, 150) },
  { label: 'blocked', name: 'covered__astronaut-hand.jpg', source: PORTRAIT, make: (s) => brightness(0.03)(s!) },
  // People seen from behind in a crowd: a person is there, but no driver behaviour is shown (safe).
  { label: 'safe', name: 'crowd__concert.jpg', source: CROWD, make: (s) => s! },
];

/** Writes the set into `folder` (label sub-folders) and returns how many files it wrote. */
export async function buildDevSet(folder: string, dataDir = sharedDataDir()): Promise<number> {
  for (const item of DEV_SET) {
    const source = item.source ? (jpeg.decode(await readFile(join(dataDir, 'images', item.source)), { useTArray: true, formatAsRGBA: true }) as Rgba) : null;
    const image = item.make(source);
    await mkdir(join(folder, item.label), { recursive: true });
    await writeFile(join(folder, item.label, item.name), jpeg.encode({ ...image, data: Buffer.from(image.data) }, 90).data);
  }
  return DEV_SET.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: npx tsx e2e/vision-dev-set/build-dev-set.ts <folder>');
    process.exit(2);
  }
  buildDevSet(folder).then((n) => console.log(`wrote ${n} images to ${folder}`));
}
