/**
 * The delivery log and its sender. Each notification is one notification_deliveries row, written before anything is
 * sent with a dedupe key (alert, person, channel, target, reason) and INSERT … ON CONFLICT DO NOTHING, so a
 * redelivered job queues nothing twice. A row is sent by whoever claims its next attempt (attempts = n → n + 1, one
 * winner), so two workers never send the same attempt. A failure that may pass is retried by a `deliver-notification`
 * job after a backoff; a push subscription the service calls gone (404/410) is deleted.
 */
import type { NotificationChannel } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import type { EmailText, PushPayload } from './alert-email.ts';

export const NOTIFICATION_MAX_ATTEMPTS = 5;
/** 30 s, 2 min, 8 min, 32 min between the five attempts. */
export const notificationBackoffMs = (attempt: number) => 30_000 * 4 ** (attempt - 1);
/** A push waits this long at the push service for an offline phone; an alert older than a day is news, not a page. */
const PUSH_TTL_S = 24 * 60 * 60;

export type DeliveryReason = 'alert' | 'escalation' | 'digest';

export interface PlannedDelivery {
  userId: string;
  channel: NotificationChannel;
  /** The push endpoint or the email address. */
  target: string;
  reason: DeliveryReason;
  /** held: kept for the digest (email) or dropped (push) — see docs/use/notifications.md. */
  status: 'pending' | 'held';
  payload: PushPayload | EmailText;
  /** Why it is held: quiet_hours or digest. */
  hold?: 'quiet_hours' | 'digest';
}

export const dedupeKey = (scope: string, d: Pick<PlannedDelivery, 'userId' | 'channel' | 'target' | 'reason'>) =>
  `${scope}:${d.userId}:${d.channel}:${d.target}:${d.reason}`;

/** Writes the rows not written yet; answers the ids of the rows this call created. */
export async function recordDeliveries(
  platform: Platform,
  owner: { fleetId: string | null; alertId: string | null; scope: string },
  planned: PlannedDelivery[],
): Promise<string[]> {
  const created: string[] = [];
  const now = new Date(platform.clock.now());
  for (const d of planned) {
    const row = await platform.db.kysely
      .insertInto('notification_deliveries')
      .values({
        id: platform.ids.next(),
        dedupe_key: dedupeKey(owner.scope, d),
        fleet_id: owner.fleetId,
        alert_id: owner.alertId,
        user_id: d.userId,
        channel: d.channel,
        target: d.target,
        reason: d.reason,
        status: d.status,
        last_error: d.hold ? `held: ${d.hold}` : null,
        payload: JSON.stringify(d.payload),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) created.push(row.id);
  }
  return created;
}

export type SendResult = 'sent' | 'gone' | 'retrying' | 'failed' | 'not_claimed';

/** Sends the delivery's next attempt if this caller wins it; records the outcome and schedules a retry. */
export async function sendDelivery(platform: Platform, deliveryId: string): Promise<SendResult> {
  const db = platform.db.kysely;
  const row = await db
    .selectFrom('notification_deliveries')
    .select(['id', 'channel', 'target', 'status', 'attempts', 'payload', 'user_id', 'alert_id'])
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return 'not_claimed';
  const claimed = await db
    .updateTable('notification_deliveries')
    .set({ attempts: row.attempts + 1, updated_at: new Date(platform.clock.now()) })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', row.attempts)
    .returning('attempts')
    .executeTakeFirst();
  if (!claimed) return 'not_claimed';
  const attempt = claimed.attempts;
  const outcome =
    row.channel === 'push'
      ? await sendPush(platform, row.target, row.payload as PushPayload)
      : await sendEmail(platform, row.target, row.payload as EmailText, row.alert_id);
  const now = new Date(platform.clock.now());
  if (outcome.status === 'sent') {
    await db
      .updateTable('notification_deliveries')
      .set({ status: 'sent', last_error: null, sent_at: now, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    if (row.channel === 'push')
      await db
        .updateTable('push_subscriptions')
        .set({ last_used_at: now })
        .where('endpoint', '=', row.target)
        .execute();
    return 'sent';
  }
  if (outcome.status === 'gone') {
    await db
      .updateTable('notification_deliveries')
      .set({ status: 'gone', last_error: outcome.error, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await db.deleteFrom('push_subscriptions').where('endpoint', '=', row.target).execute();
    return 'gone';
  }
  const final = !outcome.retry || attempt >= NOTIFICATION_MAX_ATTEMPTS;
  await db
    .updateTable('notification_deliveries')
    .set({ status: final ? 'failed' : 'pending', last_error: outcome.error.slice(0, 500), updated_at: now })
    .where('id', '=', row.id)
    .execute();
  if (final) return 'failed';
  await platform.queue.enqueue(
    'deliver-notification',
    { deliveryId: row.id },
    { dedupeId: `notification:${row.id}:${attempt}`, delayMs: notificationBackoffMs(attempt) },
  );
  return 'retrying';
}

type Outcome =
  { status: 'sent' } | { status: 'gone'; error: string } | { status: 'failed'; error: string; retry: boolean };

async function sendPush(platform: Platform, endpoint: string, payload: PushPayload): Promise<Outcome> {
  if (!platform.push) return { status: 'failed', error: 'push is not configured on this server', retry: false };
  const subscription = await platform.db.kysely
    .selectFrom('push_subscriptions')
    .select(['endpoint', 'p256dh', 'auth'])
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  if (!subscription) return { status: 'gone', error: 'the browser unsubscribed' };
  const urgency = payload.severity === 'CRITICAL' || payload.severity === 'HIGH' ? 'high' : 'normal';
  // The topic lets a newer message about the same alert replace an undelivered one (RFC 8030 §5.4: ≤ 32 url-safe chars).
  const topic = payload.alert_id.replace(/[^A-Za-z0-9_-]/g, '').slice(-32) || undefined;
  const result = await platform.push.send(subscription, JSON.stringify(payload), {
    ttlSeconds: PUSH_TTL_S,
    urgency,
    topic,
  });
  if (result.status === 'sent') return { status: 'sent' };
  if (result.status === 'gone') return { status: 'gone', error: `subscription expired (HTTP ${result.httpStatus})` };
  // A 4xx other than 429 will not pass on a retry (bad keys, payload too large).
  const retry = result.httpStatus === null || result.httpStatus === 429 || result.httpStatus >= 500;
  return { status: 'failed', error: result.error, retry };
}

async function sendEmail(platform: Platform, to: string, text: EmailText, alertId: string | null): Promise<Outcome> {
  const headers: Record<string, string> = alertId ? { 'X-TaxiWatch-Alert': alertId } : {};
  const result = await platform.email.send({ to, subject: text.subject, text: text.text, html: text.html, headers });
  return result.status === 'sent' ? { status: 'sent' } : { status: 'failed', error: result.error, retry: result.retry };
}

/** Sends the rows side by side (each send has its own time-out); a run that broke (the database) throws, for a retry. */
export async function sendAll(platform: Platform, ids: string[]): Promise<Record<SendResult, number>> {
  const counts: Record<SendResult, number> = { sent: 0, gone: 0, retrying: 0, failed: 0, not_claimed: 0 };
  const results = await Promise.allSettled(ids.map((id) => sendDelivery(platform, id)));
  for (const r of results) if (r.status === 'fulfilled') counts[r.value]++;
  const broken = results.find((r) => r.status === 'rejected');
  if (broken) throw broken.reason;
  return counts;
}
