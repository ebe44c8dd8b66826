/**
 * Vitest global setup: migrate one in-memory PGlite once per run and hand its dump to every test file,
 * because opening a fresh PGlite costs ~3 s while loading a dump costs ~0.5 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPgliteDb } from '../../edge/adapters/db/pglite-db.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-test-'));
  const db = await createPgliteDb();
  await migrateToLatest(db.kysely);
  const dump = await db.pglite.dumpDataDir('gzip');
  await db.close();
  const path = join(dir, 'pglite-template.tar.gz');
  await writeFile(path, new Uint8Array(await dump.arrayBuffer()));
  project.provide('pgliteTemplatePath', path);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
