/** Drivers whose licence has expired or expires within N days (the drivers list's licence filter). */
import { z } from 'zod';
import { localDayAndMinute, shiftDay } from '../../fleet-time.ts';
import { driversWhere } from '../../queries/drivers-query.ts';
import { formatDay, formatNumber, joinWords, type Lang } from '../format.ts';
import { defineTool } from '../tool.ts';

const input = z.object({ within_days: z.number().int().min(1).max(365).optional().describe('Expiring in fewer than this many days from today (default 30)') }).strict();
type Input = z.output<typeof input>;

interface Licence {
  driver_id: string;
  name: string;
  expires_on: string;
  /** Days from today (negative: expired that many days ago). */
  days: number;
}
interface Output {
  today: string;
  within_days: number;
  expired: Licence[];
  expiring: Licence[];
}

const daysFrom = (today: string, day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);

export const expiringLicencesTool = defineTool<Input, Output>({
  name: 'expiring_licences',
  description: "Drivers whose driving licence has expired, and those whose licence expires within N days (default 30).",
  input,
  async run(ctx, i) {
    const within = i.within_days ?? 30;
    const today = localDayAndMinute(ctx.fleet.timezone, ctx.now).day;
    const rows = await driversWhere(ctx.db, ctx.principal, { licenceExpiresBefore: shiftDay(today, within) }).select(['id', 'name', 'licence_expires_on']).orderBy('licence_expires_on').orderBy('name').execute();
    const all = rows.map((r) => ({ driver_id: r.id, name: r.name, expires_on: r.licence_expires_on, days: daysFrom(today, r.licence_expires_on) }));
    return { today, within_days: within, expired: all.filter((l) => l.days < 0), expiring: all.filter((l) => l.days >= 0) };
  },
  answer(o, lang: Lang) {
    const es = lang === 'es';
    const item = (l: Licence) => `${l.name} (${formatDay(l.expires_on, lang)})`;
    const parts: string[] = [];
    parts.push(
      o.expiring.length
        ? es
          ? `Caducan en menos de ${formatNumber(o.within_days, lang)} días: ${joinWords(o.expiring.map(item), lang)}.`
          : `Expiring within ${formatNumber(o.within_days, lang)} days: ${joinWords(o.expiring.map(item), lang)}.`
        : es
          ? `Ninguna licencia caduca en los próximos ${formatNumber(o.within_days, lang)} días.`
          : `No licence expires in the next ${formatNumber(o.within_days, lang)} days.`,
    );
    if (o.expired.length) parts.push(es ? `Ya caducadas: ${joinWords(o.expired.map(item), lang)}.` : `Already expired: ${joinWords(o.expired.map(item), lang)}.`);
    return parts.join(' ');
  },
  links: (o, lang) => (o.expired.length + o.expiring.length ? [{ label: lang === 'es' ? 'Renovar en Conductores' : 'Renew in Drivers', href: '/drivers' }] : []),
  recognise(q) {
    if (!q.has('licen', 'carnet', 'permiso', 'carne', 'brevet')) return null;
    if (!q.has('venc', 'caduc', 'expir', 'renov', 'renew', 'vigen', 'due', 'valid', 'pronto', 'soon')) return null;
    if (q.has('como', 'how', 'cuando', 'when', 'aviso', 'avisa', 'warn', 'notif')) return null;
    return { score: 0.9, input: { within_days: q.number && q.number <= 365 ? q.number : q.period === 'this_week' ? 7 : undefined } };
  },
});
