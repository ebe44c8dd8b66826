/**
 * Assets port: the built web files (web/dist: island bundles, CSS, manifest.json) as the app serves them.
 *
 * Contract (adapters/assets/assets.contract.test.ts):
 * - `read(path)` takes a path relative to the build folder, without a leading slash ("manifest.json",
 *   "assets/main-AB12.js") and returns the file's bytes, or null when there is no such file (a miss is not an error).
 * - Paths that try to leave the build folder ("../", absolute, backslashes) are a miss, never a read outside it.
 */
export interface AssetReader {
  /** Where the files come from: disk, workers-assets, memory. */
  readonly adapter: string;
  read(path: string): Promise<Uint8Array | null>;
}

/** True for a plain relative path inside the build folder. */
export function isSafeAssetPath(path: string): boolean {
  return path.length > 0 && path.length < 300 && !path.startsWith('/') && !path.includes('\\') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
