/**
 * Reminds owners before a device key or an integrator's API key expires: 30 days (LOW), 7 days (MEDIUM) and 1 day
 * (HIGH) before, each once per key and expiry (key_notices), as an alert that goes out like any other: `new_alert`
 * on the live feed and to webhooks, with `source: "device_key"` or `"api_key"`. A device key normally renews itself
 * 14 days before expiry (its expiry then moves on, and later steps never come); the 7- and 1-day reminders are for
 * a device that has not connected since. Hourly; each fleet from 08:00 of its own day.
 */
import type { Platform } from '../edge/platform.ts';
import { localDayAndHour, NOTICE_LOCAL_HOUR } from '../edge/domain/licence-notices.ts';
import { keyNoticeMessage, keyNoticeStep, type KeyKind } from '../edge/domain/key-notices.ts';
import { dispatchWebhookEvent } from '../edge/domain/webhooks/dispatch.ts';
import { enqueueAlertNotification } from '../edge/domain/notifications/notify-alert.ts';
import type { Job } from './job.ts';

const WINDOW_MS = 30 * 86_400_000;

interface ExpiringKey {
  kind: KeyKind;
  id: string;
  name: string;
  expiresAt: Date;
  vehicleId: string | null;
  plate: string | null;
}

export const checkKeyExpiry: Job = async (platform) => {
  const fleets = await platform.db.kysely.selectFrom('fleets').select(['id', 'timezone', 'locale']).execute();
  const failed: string[] = [];
  for (const fleet of fleets) {
    try {
      if (localDayAndHour(fleet.timezone, platform.clock.now()).hour >= NOTICE_LOCAL_HOUR) await checkFleet(platform, fleet.id, fleet.locale === 'en' ? 'en' : 'es');
    } catch (error) {
      failed.push(fleet.id);
      platform.log.error('key expiry check failed for a fleet', { fleetId: fleet.id, error: String(error) });
    }
  }
  if (failed.length > 0) throw new Error(`key expiry check failed for ${failed.length} fleet(s): ${failed.join(', ')}`);
};

async function expiringKeys(platform: Platform, fleetId: string, now: number): Promise<ExpiringKey[]> {
  const db = platform.db.kysely;
  const until = new Date(now + WINDOW_MS);
  const [devices, apiKeys] = await Promise.all([
    db
      .selectFrom('devices')
      .innerJoin('vehicles', 'vehicles.id', 'devices.vehicle_id')
      .select(['devices.id', 'devices.name', 'devices.key_expires_at', 'vehicles.id as vehicle_id', 'vehicles.plate'])
      .where('devices.fleet_id', '=', fleetId)
      .where('devices.status', '=', 'active')
      .where('devices.key_expires_at', '<=', until)
      .execute(),
    db.selectFrom('api_keys').select(['id', 'name', 'expires_at']).where('fleet_id', '=', fleetId).where('revoked_at', 'is', null).where('replaced_by', 'is', null).where('expires_at', '<=', until).execute(),
  ]);
  return [
    ...devices.map((d) => ({ kind: 'device' as const, id: d.id, name: d.name, expiresAt: d.key_expires_at, vehicleId: d.vehicle_id, plate: d.plate })),
    ...apiKeys.map((k) => ({ kind: 'api_key' as const, id: k.id, name: k.name, expiresAt: k.expires_at!, vehicleId: null, plate: null })),
  ];
}

async function checkFleet(platform: Platform, fleetId: string, language: 'es' | 'en'): Promise<void> {
  const now = platform.clock.now();
  for (const key of await expiringKeys(platform, fleetId, now)) {
    const step = keyNoticeStep(key.expiresAt.getTime(), now);
    if (!step) continue;
    const alert = await platform.db.kysely.transaction().execute(async (tx) => {
      const createdAt = new Date(now);
      const claimed = await tx
        .insertInto('key_notices')
        .values({ kind: key.kind, key_id: key.id, expires_at: key.expiresAt, level: step.level, fleet_id: fleetId, alert_id: null, created_at: createdAt })
        .onConflict((oc) => oc.columns(['kind', 'key_id', 'expires_at', 'level']).doNothing())
        .returning('key_id')
        .executeTakeFirst();
      if (!claimed) return null;
      const alertId = platform.ids.next();
      const message = keyNoticeMessage({ kind: key.kind, name: key.name, plate: key.plate, expiresAt: key.expiresAt.getTime(), now }, language);
      await tx.insertInto('alerts').values({ id: alertId, fleet_id: fleetId, incident_id: null, vehicle_id: key.vehicleId, severity: step.severity, message, created_at: createdAt }).execute();
      await tx.updateTable('key_notices').set({ alert_id: alertId }).where('kind', '=', key.kind).where('key_id', '=', key.id).where('expires_at', '=', key.expiresAt).where('level', '=', step.level).execute();
      return {
        alert_id: alertId,
        incident_id: null,
        vehicle_id: key.vehicleId,
        plate: key.plate,
        source: key.kind === 'device' ? 'device_key' : 'api_key',
        type: null,
        severity: step.severity,
        message,
        key_id: key.id,
        key_name: key.name,
        key_expires_at: key.expiresAt.toISOString(),
        level: step.level,
        occurred_at: createdAt.toISOString(),
      };
    });
    if (!alert) continue;
    await platform.bus.publish(fleetId, 'new_alert', alert);
    await dispatchWebhookEvent(platform, fleetId, 'new_alert', alert);
    await enqueueAlertNotification(platform, alert.alert_id);
  }
}
