/**
 * Licence-expiry alerts, the pure part: which step a licence has reached on a fleet's local day, how urgent that is,
 * and what the owner reads, in the fleet's language. The daily check (jobs/check-licence-expiry.ts) raises each step
 * once per driver and expiry date.
 */
import type { Severity } from '../db/schema.ts';
import { licenceStatus, type LicenceStatus } from './licence-status.ts';

export type NoticeLevel = Exclude<LicenceStatus, 'valid'>;
export type Language = 'es' | 'en';

/** The owners' morning: a fleet hears about licences from this local hour on, not at midnight. */
export const NOTICE_LOCAL_HOUR = 8;

const SEVERITY: Record<NoticeLevel, Severity> = { expires_within_30_days: 'LOW', expires_within_7_days: 'MEDIUM', expired: 'HIGH' };

/** The step a licence expiring on `expiresOn` has reached on `today` (both YYYY-MM-DD), or null while it is valid. */
export function noticeLevel(expiresOn: string, today: string): NoticeLevel | null {
  const status = licenceStatus(expiresOn, today);
  return status === 'valid' ? null : status;
}

export const noticeSeverity = (level: NoticeLevel): Severity => SEVERITY[level];

/** The calendar day and hour it is now in a timezone (the fleet's), e.g. { date: '2026-06-01', hour: 8 }. */
export function localDayAndHour(timeZone: string, now: number): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** The day `days` after a YYYY-MM-DD day. */
export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function noticeMessage(input: { level: NoticeLevel; driverName: string; expiresOn: string; today: string; plate: string | null }, language: Language): string {
  const date = new Intl.DateTimeFormat(language === 'es' ? 'es-ES' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${input.expiresOn}T00:00:00Z`));
  const days = Math.round((Date.parse(`${input.expiresOn}T00:00:00Z`) - Date.parse(`${input.today}T00:00:00Z`)) / 86_400_000);
  const taxi = input.plate ? (language === 'es' ? ` Conduce ${input.plate}.` : ` Drives ${input.plate}.`) : '';
  if (language === 'es') {
    if (input.level === 'expired') return `Licencia caducada — ${input.driverName}: el permiso de conducir caducó el ${date}.${taxi}`;
    const when = days === 0 ? 'hoy' : days === 1 ? 'mañana' : `en ${days} días`;
    return `La licencia caduca pronto — ${input.driverName}: el permiso de conducir caduca el ${date} (${when}).${taxi}`;
  }
  if (input.level === 'expired') return `Licence expired — ${input.driverName}: the driving licence expired on ${date}.${taxi}`;
  const when = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
  return `Licence expires soon — ${input.driverName}: the driving licence expires on ${date} (${when}).${taxi}`;
}
