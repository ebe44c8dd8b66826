/**
 * Builds the web app's browser files into web/dist: the client entry and its island chunks (content-hashed,
 * split so a page loads only its islands), the CSS, and manifest.json for the server. Prints the gzipped size of
 * the island JavaScript the owner's main page (/map) loads — the budget is 60 KB.
 * `npm run build:web` (tsx web/build.ts); `npm start` builds first; `--check-budget` fails over 60 KB.
 */
import { build, type Metafile } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { ICON_SVG, pngIcon } from './build-icons.ts';
import type { WebManifest } from './server/web-assets.ts';

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(WEB, '..');
export const MAIN_PAGE_JS_BUDGET_BYTES = 60 * 1024;
/** The islands /map renders (layout: live-status, logout-button, unread-badge; page: live-map). */
export const MAIN_PAGE_ISLANDS = ['live-status', 'logout-button', 'unread-badge', 'live-map'];

export interface WebBuild {
  manifest: WebManifest;
  outdir: string;
  /** Each JavaScript file the main page loads, with its gzipped size. */
  mainPageFiles: Array<{ file: string; gzipBytes: number }>;
  mainPageGzipBytes: number;
}

/** Files reachable from `start`: static imports always, dynamic ones too when `dynamic` (an island's own lazy parts). */
function closure(meta: Metafile, start: string, dynamic: boolean, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const imp of meta.outputs[start]?.imports ?? []) {
    if (imp.external) continue;
    if (imp.kind === 'import-statement' || (dynamic && imp.kind === 'dynamic-import')) closure(meta, imp.path, dynamic, seen);
  }
  return seen;
}

/**
 * Builds into a fresh folder beside `outdir`, then moves each file into place with a rename and the manifest last:
 * a server reading `outdir` meanwhile (or a second build running at the same time, e.g. `wrangler dev`'s build step
 * next to `npm start`) never sees a missing or half-written file. Files of earlier builds are removed afterwards.
 */
export async function buildWeb(options: { outdir?: string; quiet?: boolean } = {}): Promise<WebBuild> {
  const outdir = options.outdir ?? join(WEB, 'dist');
  const staging = `${outdir}.build-${process.pid}-${Date.now()}`;
  await mkdir(join(staging, 'assets'), { recursive: true });
  try {
    const built = await buildInto(staging, options.quiet ?? false, outdir);
    await publish(staging, outdir, built.manifest);
    return { ...built, outdir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function publish(staging: string, outdir: string, manifest: WebManifest): Promise<void> {
  await mkdir(join(outdir, 'assets'), { recursive: true });
  const fresh = await readdir(join(staging, 'assets'));
  for (const file of fresh) await rename(join(staging, 'assets', file), join(outdir, 'assets', file));
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await rename(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
  const keep = new Set(fresh);
  for (const file of await readdir(join(outdir, 'assets'))) if (!keep.has(file)) await rm(join(outdir, 'assets', file), { force: true });
}

/** The app icons, content-hashed like the other assets; their logical names → URLs for the manifest. */
async function writeIcons(assets: string): Promise<Record<string, string>> {
  const icons: Record<string, Uint8Array | string> = { 'icon-192.png': pngIcon(192), 'icon-512.png': pngIcon(512), 'icon.svg': ICON_SVG };
  const urls: Record<string, string> = {};
  for (const [name, content] of Object.entries(icons)) {
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 8).toUpperCase();
    const file = name.replace(/\.(\w+)$/, `-${hash}.$1`);
    await writeFile(join(assets, file), content);
    urls[name] = `/assets/${file}`;
  }
  return urls;
}

async function buildInto(outdir: string, quiet: boolean, shownAs: string): Promise<Omit<WebBuild, 'outdir'>> {
  const options = {
    absWorkingDir: ROOT,
    outdir: join(outdir, 'assets'),
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.png': 'file', '.svg': 'file' },
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  } as const;
  const result = await build({
    ...options,
    entryPoints: { main: 'web/client/main.tsx', app: 'web/styles/app.css' },
    splitting: true,
    // Every chunk imports the page runtime (what main.tsx always loads), so it lands in one shared chunk instead of
    // one per set of islands using each part: /map fetched 17 files, 9 of them for code every page has.
    inject: ['web/client/page-runtime.ts'],
  });
  // The service worker is built on its own, unsplit: it runs as a classic script, which cannot import a shared chunk
  // (it shares code with the page's push card).
  const worker = await build({ ...options, entryPoints: { sw: 'web/client/service-worker.ts' }, splitting: false });
  const meta = { inputs: { ...result.metafile.inputs, ...worker.metafile.inputs }, outputs: { ...result.metafile.outputs, ...worker.metafile.outputs } };
  const url = (output: string) => `/assets/${relative(join(outdir, 'assets'), join(ROOT, output)).replaceAll('\\', '/')}`;
  const outputOf = (entry: string) => Object.keys(meta.outputs).find((o) => meta.outputs[o].entryPoint === entry && !o.endsWith('.map'));
  const mainJs = outputOf('web/client/main.tsx');
  const css = Object.keys(meta.outputs).find((o) => o.endsWith('.css') && meta.outputs[o].entryPoint === 'web/styles/app.css');
  if (!mainJs || !css) throw new Error('esbuild produced no main.js or app.css: check web/build.ts entry points');
  const sw = outputOf('web/client/service-worker.ts');
  if (!sw) throw new Error('esbuild produced no service worker: check web/build.ts entry points');
  const manifest: WebManifest = { files: { 'main.js': url(mainJs), 'app.css': url(css), 'sw.js': url(sw), ...(await writeIcons(join(outdir, 'assets'))) } };

  const files = closure(meta, mainJs, false);
  for (const island of MAIN_PAGE_ISLANDS) {
    const chunk = outputOf(`web/islands/${island}.tsx`);
    if (!chunk) throw new Error(`island ${island} has no chunk: is it in web/islands/registry.ts?`);
    closure(meta, chunk, true, files);
  }
  const mainPageFiles = await Promise.all([...files].map(async (file) => ({ file: url(file), gzipBytes: gzipSync(await readFile(join(ROOT, file)), { level: 9 }).length })));
  const mainPageGzipBytes = mainPageFiles.reduce((sum, f) => sum + f.gzipBytes, 0);
  if (!quiet) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`web: built ${Object.keys(meta.outputs).length} files into ${relative(ROOT, shownAs)}/`);
    for (const f of mainPageFiles.sort((a, b) => b.gzipBytes - a.gzipBytes)) console.log(`  ${f.file.padEnd(36)} ${kb(f.gzipBytes).padStart(9)} gzipped`);
    const verdict = mainPageGzipBytes <= MAIN_PAGE_JS_BUDGET_BYTES ? 'within' : 'OVER';
    console.log(`web: island JavaScript for the owner's main page (/map): ${kb(mainPageGzipBytes)} gzipped, ${verdict} the ${kb(MAIN_PAGE_JS_BUDGET_BYTES)} budget`);
  }
  return { manifest, mainPageFiles, mainPageGzipBytes };
}

// `--check-budget` (CI) fails the build over budget; `npm start` builds without it, so a heavy island never stops the app.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildWeb();
  if (process.argv.includes('--check-budget') && built.mainPageGzipBytes > MAIN_PAGE_JS_BUDGET_BYTES) process.exitCode = 1;
}
