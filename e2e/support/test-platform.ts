/** A complete Platform on embedded adapters for tests: migrated in-memory PGlite, memory cache/bus/blobs, manual clock. */
import { createMemoryBlobs } from '../../edge/adapters/blobs/memory-blobs.ts';
import { createMemoryBus } from '../../edge/adapters/bus/memory-bus.ts';
import { createMemoryCache } from '../../edge/adapters/cache/memory-cache.ts';
import { createManualClock, type ManualClock } from '../../edge/adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createDbQueue } from '../../edge/adapters/queue/db-queue.ts';
import { createNodeResolver } from '../../edge/adapters/resolver/node-resolver.ts';
import { loadConfig, publicUrl } from '../../edge/config.ts';
import { createBlobUrlSigner } from '../../edge/domain/blob-url-signer.ts';
import { createMemoryLogger } from '../../edge/observability/logger.ts';
import { createAppMetrics } from '../../edge/observability/app-metrics.ts';
import type { Platform } from '../../edge/platform.ts';
import { createTestPglite, createTestPostgres } from './test-databases.ts';
import { createMemoryEmail, type MemoryEmail } from '../../edge/adapters/email/memory-email.ts';
import { pushFromConfig } from '../../edge/runtime/push-from-config.ts';

export interface TestPlatform extends Platform {
  clock: ManualClock;
  queue: ReturnType<typeof createDbQueue>;
  logLines: Record<string, unknown>[];
  /** Every email the app sent, in order. */
  email: MemoryEmail;
  close(): Promise<void>;
}

/** On migrated in-memory PGlite by default; `database: 'postgres'` uses a throwaway database on the test Postgres. */
export async function createTestPlatform(env: Record<string, string> = {}, options: { database?: 'pglite' | 'postgres' } = {}): Promise<TestPlatform> {
  // Tests send many requests from one address within one (frozen) minute: limits are tested on their own.
  // Tests check trips and incidents right after a request answers: the after-store steps run inside it.
  const config = loadConfig({ LOG_LEVEL: 'debug', RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', INGEST_IN_BACKGROUND: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', ...env });
  const clock = createManualClock('2026-06-01T08:00:00Z');
  const ids = createUuidV7Ids(clock);
  const { logger, lines } = createMemoryLogger();
  const postgres = options.database === 'postgres' ? await createTestPostgres() : null;
  const db = postgres ? postgres.db : await createTestPglite();
  const blobSigningSecret = 'test-signing-secret-test-signing-secret';
  const signer = createBlobUrlSigner({ secret: blobSigningSecret, baseUrl: publicUrl(config), clock });
  return {
    config,
    db,
    cache: createMemoryCache(clock),
    bus: createMemoryBus(clock),
    queue: createDbQueue({ db, clock, ids, log: logger, pollMs: 20 }),
    blobs: createMemoryBlobs({ signer }),
    clock,
    ids,
    log: logger,
    // The real operating-system resolver: tests that need names to resolve elsewhere replace it (see webhooks.test.ts).
    resolver: createNodeResolver(),
    logLines: lines,
    // Keys generated once into the test database, as on a server without VAPID_* set.
    push: pushFromConfig(config, db.kysely, clock),
    email: createMemoryEmail({ from: 'TaxiWatch <alerts@taxiwatch.test>' }),
    blobSigningSecret,
    jwtSecret: 'test-jwt-secret-test-jwt-secret-0123456789',
    runtime: 'test',
    // Its own metrics, on the manual clock: figures of one test's platform are not mixed with another's.
    metrics: createAppMetrics(clock),
    close: () => (postgres ? postgres.drop() : db.close()),
  };
}
