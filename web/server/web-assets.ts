/**
 * The built web files: the manifest (logical name → hashed URL) and /assets/* responses. Hashed files never
 * change, so browsers keep them for a year. When nothing is built yet, pages still render, with a notice.
 */
import type { AssetReader } from '../../edge/ports/assets.ts';

/** What web/build.ts writes to web/dist/manifest.json. */
export interface WebManifest {
  /** "main.js" → "/assets/main-AB12CD34.js", "app.css" → "/assets/app-….css". */
  files: Record<string, string>;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  png: 'image/png',
  svg: 'image/svg+xml',
  woff2: 'font/woff2',
};

export function createWebAssets(reader: AssetReader | undefined) {
  let manifest: WebManifest | null = null;

  return {
    /** The manifest, or null when the assets are not built (read again next time, so a build while running is seen). */
    async manifest(): Promise<WebManifest | null> {
      if (manifest || !reader) return manifest;
      const bytes = await reader.read('manifest.json');
      if (bytes) manifest = JSON.parse(new TextDecoder().decode(bytes)) as WebManifest;
      return manifest;
    },

    async response(file: string): Promise<Response | null> {
      if (!reader) return null;
      const bytes = await reader.read(`assets/${file}`);
      if (!bytes) return null;
      const type = TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
      return new Response(bytes as BodyInit, { headers: { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' } });
    },
  };
}

export type WebAssets = ReturnType<typeof createWebAssets>;
