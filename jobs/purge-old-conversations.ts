/**
 * Nightly: assistant conversations not used for CHAT_RETENTION_DAYS (90 by default) are deleted with their messages;
 * 0 keeps them. Idempotent: a second run finds nothing older.
 */
import { purgeConversations } from '../edge/domain/assistant/conversations.ts';
import type { Job } from './job.ts';

export const purgeOldConversations: Job = async (platform) => {
  const days = platform.config.CHAT_RETENTION_DAYS;
  if (days === 0) return;
  const deleted = await purgeConversations(platform.db.kysely, new Date(platform.clock.now() - days * 86_400_000));
  if (deleted > 0) platform.log.info('purged old assistant conversations', { deleted, olderThanDays: days });
};
