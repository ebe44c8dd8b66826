/**
 * The platform the evaluation runs on: the embedded defaults (in-memory PGlite, migrated; memory cache and bus), a
 * clock standing at the evaluation's "now", and the chat model the caller chose (none for the offline engine).
 */
import { createMemoryBlobs } from '../../edge/adapters/blobs/memory-blobs.ts';
import { createMemoryBus } from '../../edge/adapters/bus/memory-bus.ts';
import { createMemoryCache } from '../../edge/adapters/cache/memory-cache.ts';
import { createManualClock } from '../../edge/adapters/clock/manual-clock.ts';
import { createUuidV7Ids } from '../../edge/adapters/clock/uuid-v7-ids.ts';
import { createPgliteDb } from '../../edge/adapters/db/pglite-db.ts';
import { createUnconfiguredQueue } from '../../edge/adapters/queue/unconfigured-queue.ts';
import { createUnsupportedResolver } from '../../edge/adapters/resolver/unsupported-resolver.ts';
import { loadConfig, publicUrl } from '../../edge/config.ts';
import { migrateToLatest } from '../../edge/db/migrate.ts';
import { createBlobUrlSigner } from '../../edge/domain/blob-url-signer.ts';
import { createMemoryLogger } from '../../edge/observability/logger.ts';
import { createAppMetrics } from '../../edge/observability/app-metrics.ts';
import type { Platform } from '../../edge/platform.ts';
import type { ChatModel } from '../../edge/ports/chat-model.ts';
import { NOW } from './question-spec.ts';
import { createMemoryEmail } from '../../edge/adapters/email/memory-email.ts';

export async function createEvalPlatform(chatModel: ChatModel | undefined): Promise<Platform & { close(): Promise<void> }> {
  // One asker sends every question within one (frozen) minute: the rate limits are not what is measured.
  const config = loadConfig({ LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', ASSISTANT_ENGINE: chatModel ? 'auto' : 'offline' });
  const clock = createManualClock(NOW);
  const ids = createUuidV7Ids(clock);
  const db = await createPgliteDb();
  await migrateToLatest(db.kysely);
  const secret = 'eval-signing-secret-eval-signing-secret';
  return {
    config,
    db,
    cache: createMemoryCache(clock),
    bus: createMemoryBus(clock),
    queue: createUnconfiguredQueue('no jobs run during the assistant evaluation'),
    blobs: createMemoryBlobs({ signer: createBlobUrlSigner({ secret, baseUrl: publicUrl(config), clock }) }),
    clock,
    ids,
    log: createMemoryLogger('error').logger,
    resolver: createUnsupportedResolver(),
    blobSigningSecret: secret,
    jwtSecret: 'eval-jwt-secret-eval-jwt-secret-0123456789',
    runtime: 'eval',
    metrics: createAppMetrics(clock),
    chatModel,
    email: createMemoryEmail({ from: 'TaxiWatch <alerts@taxiwatch.test>' }),
    close: () => db.close(),
  };
}
