/**
 * Builds the Platform for Node and Deno from configuration: PGlite or Postgres, in-process cache and bus,
 * the durable queue in the database, and blobs on disk under DATA_DIR.
 */
import { join } from 'node:path';
import { createFsBlobs } from '../adapters/blobs/fs-blobs.ts';
import { createSystemClock } from '../adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { createDbQueue } from '../adapters/queue/db-queue.ts';
import { createDenoResolver } from '../adapters/resolver/deno-resolver.ts';
import { createNodeResolver } from '../adapters/resolver/node-resolver.ts';
import { publicUrl, type Config } from '../config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createBlobUrlSigner } from '../domain/blob-url-signer.ts';
import { resolveStoredSecret } from '../domain/signing-secret.ts';
import { createLogger } from '../observability/logger.ts';
import type { Platform } from '../platform.ts';
import { createOfflineAnalyser } from '../adapters/analyser/offline-analyser.ts';
import type { Analyser } from '../ports/analyser.ts';
import { analyserFromConfig } from './analyser-from-config.ts';
import { chatModelFromConfig } from './chat-model-from-config.ts';
import { offlineAnalyserFiles } from './offline-analyser-files.ts';
import { openLocalDb } from './local-db.ts';
import { openLocalCacheBus } from './local-cache-bus.ts';
import { localEmailFromConfig } from './local-email-from-config.ts';
import { pushFromConfig } from './push-from-config.ts';
import { qstashQueueFromConfig } from './qstash-from-config.ts';
import { s3BlobsFromConfig } from './s3-from-config.ts';

/** `onlyJobs`: the database queue of this process claims only these jobs (a worker dedicated to vision). */
export async function createLocalPlatform(config: Config, runtime: 'node' | 'deno', options: { onlyJobs?: readonly string[] } = {}): Promise<Platform & { close(): Promise<void> }> {
  const clock = createSystemClock();
  const ids = createUuidV7Ids(clock);
  const log = createLogger({ level: config.LOG_LEVEL, fields: { runtime } });
  const db = await openLocalDb(config);
  if (config.MIGRATE_ON_START) {
    const { applied } = await migrateToLatest(db.kysely);
    if (applied.length > 0) log.info('migrations applied', { applied });
  }
  const blobSigningSecret = await resolveStoredSecret(db.kysely, 'blob_signing_secret', config.BLOB_SIGNING_SECRET);
  const jwtSecret = await resolveStoredSecret(db.kysely, 'jwt_secret', config.JWT_SECRET);
  const signer = createBlobUrlSigner({ secret: blobSigningSecret, baseUrl: publicUrl(config), clock });
  const cacheBus = await openLocalCacheBus(config, clock);
  const analyser = chooseAnalyser(config, log);
  return {
    config,
    db,
    cache: cacheBus.cache,
    bus: cacheBus.bus,
    queue: qstashQueueFromConfig(config, { db, clock, ids }) ?? createDbQueue({
      db,
      clock,
      ids,
      log: log.child({ component: 'queue' }),
      pollMs: config.QUEUE_POLL_MS,
      concurrency: config.QUEUE_CONCURRENCY,
      leaseMs: config.QUEUE_LEASE_MS,
      onlyJobs: options.onlyJobs,
    }),
    blobs: s3BlobsFromConfig(config, clock) ?? createFsBlobs({ root: join(config.DATA_DIR, 'blobs'), signer, writerThread: runtime === 'node' }),
    clock,
    ids,
    log,
    resolver: runtime === 'deno' ? createDenoResolver() : createNodeResolver(),
    blobSigningSecret,
    jwtSecret,
    runtime,
    analyser,
    chatModel: chatModelFromConfig(config),
    push: pushFromConfig(config, db.kysely, clock),
    email: localEmailFromConfig(config),
    async close() {
      await analyser?.close?.();
      await cacheBus.close();
      await db.close();
    },
  };
}

/** The offline model loads lazily on the first frame; a runtime that cannot even locate it starts without vision. */
function chooseAnalyser(config: Config, log: Platform['log']): Analyser | undefined {
  try {
    const analyser = analyserFromConfig(config, () => createOfflineAnalyser(offlineAnalyserFiles()));
    log.info('vision analyser', { analyser: analyser?.name ?? 'none' });
    return analyser;
  } catch (error) {
    log.error('no vision analyser: frames will be marked not_configured', { error: String(error) });
    return undefined;
  }
}
