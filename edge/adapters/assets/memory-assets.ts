/** Assets held in memory: tests, and anything that builds the web files in-process. */
import { isSafeAssetPath, type AssetReader } from '../../ports/assets.ts';

export function createMemoryAssets(files: Record<string, string | Uint8Array>): AssetReader {
  const encoder = new TextEncoder();
  return {
    adapter: 'memory',
    async read(path) {
      if (!isSafeAssetPath(path) || !Object.hasOwn(files, path)) return null;
      const file = files[path];
      return typeof file === 'string' ? encoder.encode(file) : file;
    },
  };
}
