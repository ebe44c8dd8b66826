/**
 * Edge Db adapter: Neon's serverless driver (Postgres over WebSocket) through Kysely's PostgresDialect.
 * It supports interactive transactions, unlike Neon's HTTP driver. On Workers a Pool may not outlive its
 * request, so the Worker creates one per request and ends it with waitUntil (see runtime/worker.ts).
 */
import { neonConfig, Pool, types } from '@neondatabase/serverless';
import type { Db } from '../../ports/db.ts';
import { pooledKyselyDb } from './kysely-db.ts';
import { portTypeParsers } from './pg-type-parsers.ts';

export interface NeonDbOptions {
  connectionString: string;
  /**
   * A WebSocket-to-TCP proxy in front of a plain Postgres (local development and tests), as
   * `host:port/path` or a function of the database host and port. Unset for real Neon.
   */
  wsProxy?: string | ((host: string, port: number | string) => string);
  /** Plain ws:// and no TLS inside the socket: only for a proxy on loopback. */
  insecure?: boolean;
  /** WebSocket implementation where the runtime has none (Node 20: the `ws` package). */
  webSocketConstructor?: unknown;
  maxConnections?: number;
}

export function createNeonDb(options: NeonDbOptions): Db & { pool: Pool } {
  // neonConfig is process-wide; one process talks to one database, so setting it here is enough.
  if (options.wsProxy) neonConfig.wsProxy = options.wsProxy;
  if (options.webSocketConstructor) neonConfig.webSocketConstructor = options.webSocketConstructor as typeof WebSocket;
  if (options.insecure) {
    neonConfig.useSecureWebSocket = false;
    neonConfig.forceDisablePgSSL = true;
    neonConfig.pipelineTLS = false;
    // Pipelining the startup message fails against SCRAM authentication on a plain Postgres.
    neonConfig.pipelineConnect = false;
  }
  const max = options.maxConnections ?? 5;
  const pool = new Pool({
    connectionString: options.connectionString,
    max,
    types: portTypeParsers(types.getTypeParser as never) as never,
  });
  pool.on('error', () => {});
  // `urgent` first when the pool is busy, as with node-postgres (prioritised-pool.ts).
  return { ...pooledKyselyDb(pool as never, max, 'neon'), pool };
}
