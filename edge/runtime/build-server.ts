/**
 * `npm run build:server` (run by `npm start` first): the Node entry and everything it imports from this repository
 * as ES modules, dist/server/node.js and its lazily loaded chunks, with packages left to node_modules. Node then runs plain JavaScript: no
 * TypeScript loader, whose compiled modules and inline source maps cost ~50 MB of an idle server's memory.
 *
 * The bundle sits two folders below the repository root, like edge/runtime/, because modules find files relative
 * to themselves (web/dist, ../shared/data, node_modules).
 */
import { build } from 'esbuild';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_BUNDLE = join(ROOT, 'dist/server/node.js');

export async function buildServer(): Promise<void> {
  const result = await build({
    entryPoints: [join(ROOT, 'edge/runtime/node.ts')],
    outdir: dirname(SERVER_BUNDLE),
    entryNames: '[name]',
    // Modules imported only when configured (the Postgres or Redis client) stay in chunks of their own, loaded then.
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  await mkdir(dirname(SERVER_BUNDLE), { recursive: true });
  // Written beside and renamed into place: a server starting meanwhile (or a second build) never reads half a file.
  for (const file of result.outputFiles) {
    const staging = `${file.path}.${process.pid}-${Date.now()}`;
    await writeFile(staging, file.contents);
    await rename(staging, file.path);
  }
  // Chunks of earlier builds (their names carry a content hash); a build of the same code writes the same names.
  const current = new Set(result.outputFiles.map((f) => basename(f.path)));
  for (const name of await readdir(dirname(SERVER_BUNDLE))) {
    const staging = /\.\d+-\d+$/.test(name); // another build's file, about to be renamed
    if (!current.has(name) && !staging) await rm(join(dirname(SERVER_BUNDLE), name), { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
