/**
 * Assets through the Workers static-assets binding (wrangler.toml `[assets] binding = "ASSETS"`). Requests for
 * files are answered by Cloudflare before the Worker runs; the Worker itself only reads manifest.json this way.
 */
import { isSafeAssetPath, type AssetReader } from '../../ports/assets.ts';

/** The slice of the binding this adapter calls. */
export interface AssetsFetcher {
  fetch(request: Request): Promise<Response>;
}

export function createWorkersAssets(binding: AssetsFetcher): AssetReader {
  return {
    adapter: 'workers-assets',
    async read(path) {
      if (!isSafeAssetPath(path)) return null;
      const response = await binding.fetch(new Request(`https://assets.invalid/${path}`));
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`the assets binding answered ${response.status} for ${path}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
