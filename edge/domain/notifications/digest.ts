/**
 * The morning email digest: at 07:00 in the fleet's timezone, each person gets one email listing the alerts whose
 * email was held since the last digest — because they chose the digest, or because it came in their quiet hours.
 * The held rows become `sent` in the same transaction that writes the digest's own delivery row (reason `digest`),
 * so a repeated job neither drops nor repeats an alert.
 */
import { publicUrl } from '../../config.ts';
import type { Platform } from '../../platform.ts';
import { digestEmail, type EmailText } from './alert-email.ts';
import { dedupeKey, sendAll } from './deliveries.ts';

export const DIGEST_MINUTE = 7 * 60;

export async function sendFleetDigests(platform: Platform, fleetId: string, day: string): Promise<number> {
  const db = platform.db.kysely;
  const fleet = await db
    .selectFrom('fleets')
    .select(['timezone', 'locale'])
    .where('id', '=', fleetId)
    .executeTakeFirst();
  if (!fleet) return 0;
  const now = new Date(platform.clock.now());
  const held = await db
    .selectFrom('notification_deliveries')
    .innerJoin('alerts', 'alerts.id', 'notification_deliveries.alert_id')
    .innerJoin('users', 'users.id', 'notification_deliveries.user_id')
    .select([
      'notification_deliveries.id',
      'notification_deliveries.user_id',
      'users.email',
      'alerts.severity',
      'alerts.message',
      'alerts.incident_id',
      'alerts.created_at',
    ])
    .where('notification_deliveries.fleet_id', '=', fleetId)
    .where('notification_deliveries.channel', '=', 'email')
    .where('notification_deliveries.status', '=', 'held')
    .where('notification_deliveries.created_at', '<=', now)
    .orderBy('alerts.created_at')
    .execute();
  const byPerson = new Map<string, typeof held>();
  for (const row of held) byPerson.set(row.user_id, [...(byPerson.get(row.user_id) ?? []), row]);
  for (const [userId, rows] of byPerson) {
    const email: EmailText = digestEmail(
      rows.map((r) => ({
        severity: r.severity,
        message: r.message,
        incidentId: r.incident_id,
        createdAt: r.created_at,
      })),
      { lang: fleet.locale, timeZone: fleet.timezone, day, baseUrl: publicUrl(platform.config) },
    );
    const target = rows[0]!.email;
    await db.transaction().execute(async (tx) => {
      const created = await tx
        .insertInto('notification_deliveries')
        .values({
          id: platform.ids.next(),
          dedupe_key: dedupeKey(`digest:${fleetId}:${day}`, { userId, channel: 'email', target, reason: 'digest' }),
          fleet_id: fleetId,
          alert_id: null,
          user_id: userId,
          channel: 'email',
          target,
          reason: 'digest',
          status: 'pending',
          last_error: null,
          payload: JSON.stringify(email),
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      // Already written today (a repeated job): these rows came in after it, and wait for tomorrow's.
      if (!created) return;
      await tx
        .updateTable('notification_deliveries')
        .set({ status: 'sent', sent_at: now, updated_at: now, last_error: null })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    });
  }
  const untried = await db
    .selectFrom('notification_deliveries')
    .select('id')
    .where('fleet_id', '=', fleetId)
    .where('reason', '=', 'digest')
    .where('status', '=', 'pending')
    .where('attempts', '=', 0)
    .execute();
  const counts = await sendAll(
    platform,
    untried.map((r) => r.id),
  );
  return counts.sent;
}
