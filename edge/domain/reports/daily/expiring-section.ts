/** Driving licences and device keys that expire within 30 days of the report (or already have). */
import { localDayAndMinute } from '../../fleet-time.ts';
import type { ReportContext } from '../report-context.ts';
import { dailySection } from './daily-section.ts';

const WITHIN_DAYS = 30;

async function load(ctx: ReportContext) {
  const today = localDayAndMinute(ctx.fleet.timezone, ctx.now.getTime()).day;
  const limit = new Date(Date.parse(`${today}T00:00:00Z`) + WITHIN_DAYS * 86_400_000).toISOString().slice(0, 10);
  const [licences, keys] = await Promise.all([
    ctx.db.selectFrom('drivers').select(['name', 'licence_expires_on']).where('fleet_id', '=', ctx.fleet.id).where('licence_expires_on', '<', limit).orderBy('licence_expires_on').orderBy('name').execute(),
    ctx.db
      .selectFrom('devices')
      .innerJoin('vehicles', 'vehicles.id', 'devices.vehicle_id')
      .select(['devices.name', 'devices.key_prefix', 'vehicles.plate', 'devices.key_expires_at'])
      .where('devices.fleet_id', '=', ctx.fleet.id)
      .where('devices.status', '=', 'active')
      .where('devices.key_expires_at', '<', new Date(ctx.now.getTime() + WITHIN_DAYS * 86_400_000))
      .orderBy('devices.key_expires_at')
      .execute(),
  ]);
  const daysTo = (ms: number) => Math.floor((ms - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  return {
    licences: licences.map((l) => ({ name: l.name, expiresOn: l.licence_expires_on, days: daysTo(Date.parse(`${l.licence_expires_on}T00:00:00Z`)) })),
    keys: keys.map((k) => ({ name: k.name || k.key_prefix, plate: k.plate, expiresAt: k.key_expires_at, days: Math.floor((k.key_expires_at.getTime() - ctx.now.getTime()) / 86_400_000) })),
  };
}

export const expiringSection = dailySection({
  id: 'expiring',
  load,
  render(doc, { licences, keys }, { words: w }) {
    doc.heading(w.t('expiring'));
    if (licences.length === 0 && keys.length === 0) {
      doc.paragraph(w.t('nothingExpiring'), { muted: true });
      return;
    }
    const left = (days: number) => (days < 0 ? w.t('expired') : w.t('inDays', { days }));
    if (licences.length > 0) {
      doc.subheading(w.t('licences'));
      doc.table([{ title: w.t('driver'), width: 4 }, { title: w.t('expires'), width: 2.2 }, { title: '', width: 1.6, align: 'right' }], licences.map((l) => [l.name, l.expiresOn, left(l.days)]));
    }
    if (keys.length > 0) {
      doc.subheading(w.t('deviceKeys'));
      doc.table([{ title: w.t('taxi'), width: 2 }, { title: w.t('device'), width: 2.4 }, { title: w.t('expires'), width: 2.2 }, { title: '', width: 1.6, align: 'right' }], keys.map((k) => [k.plate, k.name, w.dateTime(k.expiresAt), left(k.days)]));
      doc.paragraph(w.t('autoRotates'), { muted: true, size: 8 });
    }
  },
});
