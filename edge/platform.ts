/**
 * The Platform: every port the app needs, chosen per runtime and configuration (see edge/runtime/).
 * createApp(platform) and every job receive this, and nothing else.
 */
import type { Config } from './config.ts';
import type { Blobs } from './ports/blobs.ts';
import type { Bus } from './ports/bus.ts';
import type { Cache } from './ports/cache.ts';
import type { Clock, IdGenerator } from './ports/clock.ts';
import type { Analyser } from './ports/analyser.ts';
import type { ChatModel } from './ports/chat-model.ts';
import type { Db } from './ports/db.ts';
import type { EmailSender } from './ports/email.ts';
import type { PushSender } from './ports/push.ts';
import type { Queue } from './ports/queue.ts';
import type { Resolver } from './ports/resolver.ts';
import type { Logger } from './observability/logger.ts';
import type { AppMetrics } from './observability/app-metrics.ts';

export interface Platform {
  config: Config;
  db: Db;
  cache: Cache;
  bus: Bus;
  queue: Queue;
  blobs: Blobs;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Host-name resolution and pinned sends for webhooks (edge/adapters/resolver/): 'unsupported' on Workers. */
  resolver: Resolver;
  /** Looks at camera frames (edge/adapters/analyser/); absent when none is configured, and frames are then marked `not_configured`. */
  analyser?: Analyser;
  /** The assistant's model (edge/adapters/chat-model/); absent: the assistant answers with its offline engine only. */
  chatModel?: ChatModel;
  /** Web Push to people's browsers (edge/adapters/push/); absent where no VAPID key can be had (a Worker without a database or keys). */
  push?: PushSender;
  /** Email to people (edge/adapters/email/): alerts, escalations, digests. */
  email: EmailSender;
  /** Secret for signed blob download URLs (HMAC-SHA-256). */
  blobSigningSecret: string;
  /** Secret for access tokens (HS256); empty where none is configured, and then no token is issued or accepted. */
  jwtSecret: string;
  /** The runtime serving requests: node, deno or workerd. */
  runtime: string;
  /** Where metrics are recorded; absent: the one set of this process or isolate (see observability/app-metrics.ts). */
  metrics?: AppMetrics;
}

export const VERSION = '0.1.0';
