/**
 * Creates an embedded database (PGlite's initdb). Done in the server's own process, initdb's second WebAssembly
 * instance (~450 MB) stays allocated until a major garbage collection, which an idle server may never run: the first
 * start would idle at twice the memory of later ones. On Node it therefore runs in a short-lived child process.
 * Deno's entry is not granted --allow-run, so there it runs in process and the memory is returned to the collector.
 */
import { spawn } from 'node:child_process';
import { createPgliteDb } from '../adapters/db/pglite-db.ts';

export async function createPgliteDatabase(dataDir: string): Promise<void> {
  if ('Deno' in globalThis) {
    await (await createPgliteDb({ dataDir })).close();
    return;
  }
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const code = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = new PGlite({ dataDir: ${JSON.stringify(dataDir)} });
await db.waitReady;
await db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (exit !== 0) throw new Error(`creating the embedded database in ${dataDir} failed (exit ${exit}):\n${stderr}`);
}
