/**
 * Tells owners when a driver's licence is about to expire, and when it has: one alert when it comes within 30 days
 * (LOW), one within 7 days (MEDIUM), one once expired (HIGH) — each raised once per driver and expiry date
 * (licence_notices), so a renewed licence starts afresh. An alert goes out like an incident's: `new_alert` on the
 * live feed and to webhooks, with `source: "licence"` and no incident.
 *
 * Runs hourly; each fleet is checked from 08:00 of its own day (its timezone), so the news arrives in the morning.
 * A fleet that fails is logged and the others still run; the job then fails so the queue retries (what was raised
 * is not raised twice).
 */
import type { Platform } from '../edge/platform.ts';
import { addDays, localDayAndHour, noticeLevel, noticeMessage, noticeSeverity, NOTICE_LOCAL_HOUR, type NoticeLevel } from '../edge/domain/licence-notices.ts';
import { dispatchWebhookEvent } from '../edge/domain/webhooks/dispatch.ts';
import { enqueueAlertNotification } from '../edge/domain/notifications/notify-alert.ts';
import type { Job } from './job.ts';

interface Fleet {
  id: string;
  timezone: string;
  locale: string;
}

export const checkLicenceExpiry: Job = async (platform) => {
  const fleets = await platform.db.kysely.selectFrom('fleets').select(['id', 'timezone', 'locale']).execute();
  const failed: string[] = [];
  let raised = 0;
  for (const fleet of fleets) {
    try {
      raised += await checkFleet(platform, fleet);
    } catch (error) {
      failed.push(fleet.id);
      platform.log.error('licence expiry check failed for a fleet', { fleetId: fleet.id, error: String(error) });
    }
  }
  if (raised > 0) platform.log.info('licence expiry alerts raised', { raised });
  if (failed.length > 0) throw new Error(`licence expiry check failed for ${failed.length} fleet(s): ${failed.join(', ')}`);
};

async function checkFleet(platform: Platform, fleet: Fleet): Promise<number> {
  const now = platform.clock.now();
  const { date: today, hour } = localDayAndHour(fleet.timezone, now);
  if (hour < NOTICE_LOCAL_HOUR) return 0;
  const drivers = await platform.db.kysely
    .selectFrom('drivers')
    .select(['id', 'name', 'licence_expires_on'])
    .where('fleet_id', '=', fleet.id)
    .where('licence_expires_on', '<', addDays(today, 30))
    .orderBy('licence_expires_on')
    .execute();
  let raised = 0;
  for (const driver of drivers) {
    const level = noticeLevel(driver.licence_expires_on, today);
    if (!level) continue;
    const alert = await raiseOnce(platform, fleet, { id: driver.id, name: driver.name, expiresOn: driver.licence_expires_on }, level, today);
    if (!alert) continue;
    raised++;
    await platform.bus.publish(fleet.id, 'new_alert', alert);
    await dispatchWebhookEvent(platform, fleet.id, 'new_alert', alert);
    await enqueueAlertNotification(platform, alert.alert_id);
  }
  return raised;
}

/** Records the notice and its alert in one transaction; null when this step was raised before. */
async function raiseOnce(platform: Platform, fleet: Fleet, driver: { id: string; name: string; expiresOn: string }, level: NoticeLevel, today: string) {
  const createdAt = new Date(platform.clock.now());
  return platform.db.kysely.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('licence_notices')
      .values({ driver_id: driver.id, expires_on: driver.expiresOn, level, fleet_id: fleet.id, alert_id: null, created_at: createdAt })
      .onConflict((oc) => oc.columns(['driver_id', 'expires_on', 'level']).doNothing())
      .returning('driver_id')
      .executeTakeFirst();
    if (!claimed) return null;
    const vehicle = await tx
      .selectFrom('vehicle_drivers')
      .innerJoin('vehicles', 'vehicles.id', 'vehicle_drivers.vehicle_id')
      .select(['vehicles.id', 'vehicles.plate'])
      .where('vehicle_drivers.driver_id', '=', driver.id)
      .where('vehicle_drivers.ended_at', 'is', null)
      .executeTakeFirst();
    const language = fleet.locale === 'en' ? 'en' : 'es';
    const message = noticeMessage({ level, driverName: driver.name, expiresOn: driver.expiresOn, today, plate: vehicle?.plate ?? null }, language);
    const alertId = platform.ids.next();
    const severity = noticeSeverity(level);
    await tx.insertInto('alerts').values({ id: alertId, fleet_id: fleet.id, incident_id: null, vehicle_id: vehicle?.id ?? null, severity, message, created_at: createdAt }).execute();
    await tx.updateTable('licence_notices').set({ alert_id: alertId }).where('driver_id', '=', driver.id).where('expires_on', '=', driver.expiresOn).where('level', '=', level).execute();
    return {
      alert_id: alertId,
      incident_id: null,
      vehicle_id: vehicle?.id ?? null,
      plate: vehicle?.plate ?? null,
      source: 'licence',
      type: null,
      severity,
      message,
      driver_id: driver.id,
      driver_name: driver.name,
      licence_expires_on: driver.expiresOn,
      level,
      occurred_at: createdAt.toISOString(),
    };
  });
}
