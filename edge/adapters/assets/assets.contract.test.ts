/** One contract for every assets adapter: reads, misses, and no escape from the build folder. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetReader } from '../../ports/assets.ts';
import { createDiskAssets } from './disk-assets.ts';
import { createMemoryAssets } from './memory-assets.ts';
import { createWorkersAssets } from './workers-assets.ts';

const FILES = { 'manifest.json': '{"main.js":"/assets/main-X.js"}', 'assets/main-X.js': 'console.log(1)' };
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tw-assets-'));
  await mkdir(join(root, 'dist', 'assets'), { recursive: true });
  for (const [path, text] of Object.entries(FILES)) await writeFile(join(root, 'dist', path), text);
  await writeFile(join(root, 'secret.txt'), 'outside the build folder');
});
afterAll(() => rm(root, { recursive: true, force: true }));

// workerd cannot run inside vitest: the binding is played by a fetch handler answering like Cloudflare's (404 for a miss).
const workersBinding = () => ({
  async fetch(request: Request) {
    const path = decodeURIComponent(new URL(request.url).pathname.slice(1));
    return Object.hasOwn(FILES, path) ? new Response(FILES[path as keyof typeof FILES]) : new Response('not found', { status: 404 });
  },
});

const adapters: Array<[string, () => AssetReader]> = [
  ['memory', () => createMemoryAssets(FILES)],
  ['disk', () => createDiskAssets(pathToFileURL(join(root, 'dist')))],
  ['workers-assets', () => createWorkersAssets(workersBinding())],
];

describe.each(adapters)('assets contract: %s', (_name, create) => {
  it('reads a file by its path in the build folder', async () => {
    const bytes = await create().read('assets/main-X.js');
    expect(new TextDecoder().decode(bytes!)).toBe('console.log(1)');
  });

  it('answers null for a missing file', async () => {
    expect(await create().read('assets/nope.js')).toBeNull();
    expect(await create().read('assets')).toBeNull();
  });

  it('never reads outside the build folder', async () => {
    for (const path of ['../secret.txt', '/etc/passwd', 'assets/../../secret.txt', 'assets\\..\\..\\secret.txt', '', './manifest.json']) {
      expect(await create().read(path)).toBeNull();
    }
  });
});
