/** Devices not heard from for longer than the fleet's offline threshold when the report is made. */
import { telemetrySettings } from '../../telemetry/settings.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

async function load(ctx: ReportContext) {
  const minutes = telemetrySettings(ctx.fleet).offlineMinutes;
  const since = new Date(ctx.now.getTime() - minutes * 60_000);
  const devices = await ctx.db
    .selectFrom('devices')
    .innerJoin('vehicles', 'vehicles.id', 'devices.vehicle_id')
    .select(['devices.name', 'devices.key_prefix', 'vehicles.plate', 'devices.last_seen_at'])
    .where('devices.fleet_id', '=', ctx.fleet.id)
    .where('devices.status', '=', 'active')
    .where((eb) => eb.or([eb('devices.last_seen_at', 'is', null), eb('devices.last_seen_at', '<', since)]))
    .orderBy('vehicles.plate')
    .execute();
  return { minutes, devices };
}

export const offlineSection = dailySection({
  id: 'offline',
  load,
  render(doc, { minutes, devices }, { words: w }) {
    doc.heading(w.t('offline'));
    if (devices.length === 0) {
      doc.paragraph(w.t('allOnline'), { muted: true });
      return;
    }
    doc.paragraph(w.t('offlineNote', { minutes }), { muted: true, size: 8.5 });
    doc.table(
      [{ title: w.t('taxi'), width: 2 }, { title: w.t('device'), width: 3 }, { title: w.t('lastSeen'), width: 3 }],
      devices.map((d) => [d.plate, d.name || d.key_prefix, d.last_seen_at ? w.dateTime(d.last_seen_at) : w.t('never')]),
    );
  },
});
