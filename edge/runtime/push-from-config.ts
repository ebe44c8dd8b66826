/**
 * The Web Push sender from configuration: VAPID_* keys when set, else the pair generated once and kept in the
 * database (resolved on the first push, so building a platform costs no query).
 */
import type { Kysely } from 'kysely';
import { createWebPush } from '../adapters/push/web-push.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { resolveVapidKeys } from '../domain/notifications/vapid-keys.ts';
import type { Clock } from '../ports/clock.ts';
import type { PushSender } from '../ports/push.ts';

export function pushFromConfig(config: Config, db: Kysely<Database>, clock: Clock): PushSender {
  const configured = {
    publicKey: config.VAPID_PUBLIC_KEY,
    privateKey: config.VAPID_PRIVATE_KEY,
    subject: config.VAPID_SUBJECT,
  };
  return createWebPush({ keys: () => resolveVapidKeys(db, configured), clock });
}
