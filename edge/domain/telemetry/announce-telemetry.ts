/**
 * After the telemetry transaction commits: every new alert and every change of a vehicle's status goes to the
 * live feed and to the fleet's webhooks; withdrawn incidents are announced so open screens drop them; a new ACCIDENT
 * candidate gets its frames checked (domain/vision/confirm-accident.ts); frames of the event's window stored before
 * it as routine are upgraded to high priority (domain/frames/frame-reopening.ts).
 */
import type { Platform } from '../../platform.ts';
import { upgradeFramesAfterEvents } from '../frames/frame-reopening.ts';
import { publishAnnouncement } from '../incidents/announce-incident.ts';
import { enqueueAccidentCheck } from '../vision/confirm-accident.ts';
import { dispatchWebhookEvent } from '../webhooks/dispatch.ts';
import type { TelemetryOutcome } from './apply-telemetry.ts';
import type { VehicleRef } from './telemetry-store.ts';

export async function announceTelemetry(platform: Platform, device: VehicleRef, outcome: TelemetryOutcome): Promise<void> {
  // new_alert for a new incident, incident_updated when a detection joined an open one (same payloads as vision).
  for (const { announcement } of outcome.newIncidents) await publishAnnouncement(platform, announcement);
  for (const created of outcome.newIncidents) if (created.incident.type === 'ACCIDENT' && created.alertId) await enqueueAccidentCheck(platform, created.incidentId);
  // Every newly recorded detection counts, a merged one too: its frames are as worth a look as the first one's.
  // A failure here costs only the ordering (the frames are still analysed as routine), never the announcements.
  const eventTimes = outcome.newIncidents.map((n) => n.incident.occurredAt);
  if (eventTimes.length > 0) {
    await upgradeFramesAfterEvents(platform, device.vehicleId, eventTimes).catch((error) =>
      platform.log.warn('upgrading frames after a telemetry event failed', { vehicleId: device.vehicleId, error: String(error) }),
    );
  }
  for (const incidentId of outcome.withdrawnIncidentIds) {
    await platform.bus.publish(device.fleetId, 'incident_updated', { incident_id: incidentId, vehicle_id: device.vehicleId, status: 'withdrawn' });
  }
  if (outcome.statusChange) {
    const status = { vehicle_id: device.vehicleId, plate: outcome.plate, status: outcome.statusChange.status, since: new Date(outcome.statusChange.at).toISOString() };
    await platform.bus.publish(device.fleetId, 'vehicle_status', status);
    await dispatchWebhookEvent(platform, device.fleetId, 'vehicle_status', status);
  }
}
