/**
 * Builds the Platform inside a Cloudflare Worker from its bindings. PGlite and the disk do not exist in workerd:
 * with DATABASE_URL the database is Neon (and the durable queue lives there, drained by the cron trigger);
 * without it, the database and queue are "not configured" and /health names the variable to set.
 */
import { createUnconfiguredBlobs } from '../adapters/blobs/unconfigured-blobs.ts';
import { createMemoryBus } from '../adapters/bus/memory-bus.ts';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createSystemClock } from '../adapters/clock/system-clock.ts';
import { createUuidV7Ids } from '../adapters/clock/uuid-v7-ids.ts';
import { createNeonDb } from '../adapters/db/neon-db.ts';
import { createUnconfiguredDb } from '../adapters/db/unconfigured-db.ts';
import { createDbQueue, type DbQueue } from '../adapters/queue/db-queue.ts';
import { createUnconfiguredQueue } from '../adapters/queue/unconfigured-queue.ts';
import { createUnsupportedResolver } from '../adapters/resolver/unsupported-resolver.ts';
import type { Config } from '../config.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import type { Platform } from '../platform.ts';
import type { Bus } from '../ports/bus.ts';
import type { Cache } from '../ports/cache.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { Analyser } from '../ports/analyser.ts';
import type { ChatModel } from '../ports/chat-model.ts';
import { analyserFromConfig } from './analyser-from-config.ts';
import { chatModelFromConfig } from './chat-model-from-config.ts';
import { qstashQueueFromConfig } from './qstash-from-config.ts';
import { s3BlobsFromConfig } from './s3-from-config.ts';
import { emailFromConfig } from './email-from-config.ts';
import { pushFromConfig } from './push-from-config.ts';
import { upstashCacheBus } from './upstash-cache-bus.ts';

/** What lives as long as the isolate: clients that are safe to reuse across requests. */
export interface IsolateShared {
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  cache: Cache;
  bus: Bus;
  /** The cloud analyser when one is configured (the offline model cannot load in workerd). */
  analyser?: Analyser;
  chatModel?: ChatModel;
}

export function createIsolateShared(config: Config): IsolateShared {
  const clock = createSystemClock();
  const log = createLogger({ level: config.LOG_LEVEL, fields: { runtime: 'workerd' } });
  let analyser: Analyser | undefined;
  try {
    analyser = analyserFromConfig(config, null);
  } catch (error) {
    log.error('no vision analyser: frames will be marked not_configured', { error: String(error) });
  }
  return {
    clock,
    ids: createUuidV7Ids(clock),
    log,
    analyser,
    chatModel: chatModelFromConfig(config),
    // Without Upstash each isolate has its own memory: fine for one instance, not for fan-out across the edge.
    ...(upstashCacheBus(config, clock, { perRequest: true }) ?? { cache: createMemoryCache(clock), bus: createMemoryBus(clock) }),
  };
}

/** Per request: Neon's WebSocket pool may not outlive the request that opened it. */
export function createWorkerPlatform(config: Config, shared: IsolateShared): { platform: Platform; dbQueue: DbQueue | null } {
  const { clock, ids, log } = shared;
  const db = config.DATABASE_URL
    ? createNeonDb({
        connectionString: config.DATABASE_URL,
        wsProxy: config.NEON_WS_PROXY,
        // A proxy on loopback speaks plain ws:// to a Postgres without TLS; real Neon always uses TLS.
        insecure: config.NEON_WS_PROXY !== undefined && /^(127\.0\.0\.1|localhost)[:/]/.test(config.NEON_WS_PROXY),
      })
    : createUnconfiguredDb('set DATABASE_URL to a Neon connection string (PGlite cannot run in workerd)');
  const qstash = config.DATABASE_URL ? qstashQueueFromConfig(config, { db, clock, ids }) : null;
  // Without QStash the durable queue lives in the database and the cron trigger drains it.
  const dbQueue = config.DATABASE_URL && !qstash ? createDbQueue({ db, clock, ids, log: log.child({ component: 'queue' }) }) : null;
  const queue = qstash ?? dbQueue ?? createUnconfiguredQueue('set DATABASE_URL (and QSTASH_TOKEN with its signing keys to deliver jobs through QStash)');
  const platform: Platform = {
    config,
    db,
    cache: shared.cache,
    bus: shared.bus,
    queue,
    blobs: s3BlobsFromConfig(config, clock) ?? createUnconfiguredBlobs('set S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY'),
    clock,
    ids,
    log,
    // Workers have no DNS API: webhook host names cannot be checked (WEBHOOK_ALLOW_UNRESOLVED_NAMES decides).
    resolver: createUnsupportedResolver(),
    // Blobs on Workers live in S3, which presigns its own links: the app serves no downloads there.
    blobSigningSecret: '',
    // Workers cannot wait on a database read per isolate start for this: JWT_SECRET must be configured (see docs/operate/configuration.md).
    jwtSecret: config.JWT_SECRET ?? '',
    runtime: 'workerd',
    analyser: shared.analyser,
    chatModel: shared.chatModel,
    // Generated keys live in the database; without one (and without configured keys) there is no push.
    push: config.DATABASE_URL || config.VAPID_PUBLIC_KEY ? pushFromConfig(config, db.kysely, clock) : undefined,
    email: emailFromConfig(config),
  };
  return { platform, dbQueue };
}
