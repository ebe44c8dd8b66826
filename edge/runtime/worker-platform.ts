/**
 * Builds the Platform inside a Cloudflare Worker from its bindings. PGlite and the file system do not exist
 * in workerd, so without DATABASE_URL / QStash / S3 the matching ports are "not configured" and /health says
 * which variable to set. Cache and bus are per-isolate memory until Upstash is configured.
 */
import { createUnconfiguredBlobs } from '../adapters/blobs/unconfigured-blobs.ts';
import { createMemoryBus } from '../adapters/bus/memory-bus.ts';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createSystemClock } from '../adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { createUnconfiguredDb } from '../adapters/db/unconfigured-db.ts';
import { createUnconfiguredQueue } from '../adapters/queue/unconfigured-queue.ts';
import type { Config } from '../config.ts';
import { createLogger } from '../observability/logger.ts';
import type { Platform } from '../platform.ts';

export function createWorkerPlatform(config: Config): Platform {
  const clock = createSystemClock();
  const ids = createUuidV7Ids(clock);
  const dbHint = config.DATABASE_URL
    ? 'DATABASE_URL is set, but the Neon adapter for Workers is not part of this build yet'
    : 'set DATABASE_URL to a Neon connection string (PGlite cannot run in workerd)';
  return {
    config,
    db: createUnconfiguredDb(dbHint),
    cache: createMemoryCache(clock),
    bus: createMemoryBus(clock),
    queue: createUnconfiguredQueue('set QSTASH_TOKEN and the QStash signing keys (or DATABASE_URL)'),
    blobs: createUnconfiguredBlobs('set S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY'),
    clock,
    ids,
    log: createLogger({ level: config.LOG_LEVEL, fields: { runtime: 'workerd' } }),
    blobSigningSecret: config.BLOB_SIGNING_SECRET ?? '',
    runtime: 'workerd',
  };
}
