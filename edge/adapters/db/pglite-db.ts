/**
 * Embedded Db adapter: PGlite (Postgres compiled to WASM) in this process, through a dialect that serialises
 * queries over PGlite's single connection (pglite-dialect.ts). Persisted in `dataDir`,
 * or in memory when none is given. One process per data directory.
 */
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Db } from '../../ports/db.ts';
import type { Database } from '../../db/schema.ts';
import { kyselyDb } from './kysely-db.ts';
import { PgliteDialect } from './pglite-dialect.ts';

export interface PgliteDbOptions {
  /** Directory to persist in; omitted means in memory. */
  dataDir?: string;
  /** A data directory dump (from `dumpDataDir`) to start from, e.g. an already-migrated template for tests. */
  loadDataDir?: Blob;
}

// The shapes promised by the Db port (ports/db.ts), identical to the Postgres adapter's.
const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => value,
  [types.DATE]: (value: string) => value,
};

/**
 * Postgres' default shared_buffers (128 MB) grows PGlite's WebAssembly memory past its 128 MB floor; an embedded
 * database holding one fleet's recent data works from far less, and its files stay in the OS page cache anyway.
 */
const SHARED_BUFFERS = '16MB';

export async function createPgliteDb(options: PgliteDbOptions = {}): Promise<Db & { pglite: PGlite }> {
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, parsers, startParams });
  await pglite.waitReady;
  const kysely = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
  const closePglite = async () => {
    if (!pglite.closed) await pglite.close();
  };
  return { ...kyselyDb(kysely, 'pglite', { embedded: true, afterClose: closePglite }), pglite };
}
