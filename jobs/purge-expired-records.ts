/**
 * Nightly housekeeping for tables that only ever grow and whose old rows serve nobody:
 * - refresh tokens past their expiry (an expired token is refused whether or not its row exists);
 * - QStash message ids remembered for idempotency, after QStash can no longer redeliver them (14 days);
 * - webhook deliveries that finished (succeeded or failed) over 30 days ago — the delivery log owners read;
 * - evidence share links expired or revoked over 30 days ago (their "views" are history nobody asks for).
 * Audit log, dead letters, incidents and alerts are records and are kept. Idempotent.
 */
import type { Job } from './job.ts';

const DAY = 86_400_000;
export const RETENTION = { jobDeliveriesDays: 14, webhookDeliveriesDays: 30, shareLinksDays: 30 } as const;

export const purgeExpiredRecords: Job = async (platform) => {
  const db = platform.db.kysely;
  const now = platform.clock.now();
  const before = (days: number) => new Date(now - days * DAY);
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

  const deleted = {
    refresh_tokens: count(await db.deleteFrom('refresh_tokens').where('expires_at', '<', new Date(now)).executeTakeFirst()),
    job_deliveries: count(await db.deleteFrom('job_deliveries').where('completed_at', '<', before(RETENTION.jobDeliveriesDays)).executeTakeFirst()),
    webhook_deliveries: count(
      await db.deleteFrom('webhook_deliveries').where('status', 'in', ['succeeded', 'failed']).where('updated_at', '<', before(RETENTION.webhookDeliveriesDays)).executeTakeFirst(),
    ),
    incident_share_links: count(
      await db
        .deleteFrom('incident_share_links')
        .where((eb) => eb.or([eb('expires_at', '<', before(RETENTION.shareLinksDays)), eb('revoked_at', '<', before(RETENTION.shareLinksDays))]))
        .executeTakeFirst(),
    ),
  };
  if (Object.values(deleted).some((n) => n > 0)) platform.log.info('purged expired records', deleted);
};
