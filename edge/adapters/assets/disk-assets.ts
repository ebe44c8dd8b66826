/** Assets read from the build folder on disk (Node and Deno; only the local runtime entries import this). */
import { readFile } from 'node:fs/promises';
import { isSafeAssetPath, type AssetReader } from '../../ports/assets.ts';

export function createDiskAssets(folder: URL): AssetReader {
  const base = folder.href.endsWith('/') ? folder : new URL(`${folder.href}/`);
  return {
    adapter: 'disk',
    async read(path) {
      if (!isSafeAssetPath(path)) return null;
      try {
        return new Uint8Array(await readFile(new URL(path, base)));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
        throw new Error(`cannot read web asset ${path}`, { cause: error });
      }
    },
  };
}
