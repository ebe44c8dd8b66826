/**
 * The words of an alert as it reaches a person: the push notification (title, body, where tapping it goes) and the
 * email (subject, plain text, HTML), in Spanish or English, for a new alert, an escalation and the daily digest.
 * The alert's own message is already written in the fleet's language when it is raised.
 */
import type { Severity } from '../../db/schema.ts';

export type Lang = 'es' | 'en';

export interface AlertForPerson {
  alertId: string;
  incidentId: string | null;
  severity: Severity;
  message: string;
  plate: string | null;
  createdAt: Date;
  timeZone: string;
  lang: Lang;
  reason: 'alert' | 'escalation';
  /** Minutes since the alert was raised, for an escalation's wording. */
  unacknowledgedMinutes?: number;
}

export interface EmailText {
  subject: string;
  text: string;
  html: string;
}

export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
  alert_id: string;
  incident_id: string | null;
  severity: Severity;
  lang: Lang;
}

const SEVERITY: Record<Lang, Record<Severity, string>> = {
  es: { CRITICAL: 'Crítica', HIGH: 'Alta', MEDIUM: 'Media', LOW: 'Baja' },
  en: { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' },
};

const WORDS = {
  es: {
    escalated: (m: number) => `Sin confirmar tras ${m} min`,
    open: 'Abrir',
    at: 'Hora',
    vehicle: 'Taxi',
    severity: 'Gravedad',
    why: 'Recibes este correo por tus preferencias de notificación en TaxiWatch.',
    whyEscalation: 'Recibes este correo porque estás en la lista de escalado de la flota.',
    digestSubject: (n: number, day: string) => `TaxiWatch: ${n} ${n === 1 ? 'alerta' : 'alertas'} (${day})`,
    digestIntro: (n: number) => `Resumen de ${n} ${n === 1 ? 'alerta' : 'alertas'} desde el último resumen:`,
  },
  en: {
    escalated: (m: number) => `Not acknowledged after ${m} min`,
    open: 'Open',
    at: 'Time',
    vehicle: 'Taxi',
    severity: 'Severity',
    why: 'You get this email because of your TaxiWatch notification preferences.',
    whyEscalation: 'You get this email because you are on the fleet’s escalation list.',
    digestSubject: (n: number, day: string) => `TaxiWatch: ${n} ${n === 1 ? 'alert' : 'alerts'} (${day})`,
    digestIntro: (n: number) => `${n} ${n === 1 ? 'alert' : 'alerts'} since the last digest:`,
  },
} as const;

/** Where the app shows the alert: its incident, or the alert list for notices. */
export const alertPath = (incidentId: string | null) => (incidentId ? `/incidents/${incidentId}` : '/alerts');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function localTime(at: Date, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
}

function headline(alert: AlertForPerson): string {
  const words = WORDS[alert.lang];
  const label = SEVERITY[alert.lang][alert.severity];
  const prefix = alert.reason === 'escalation' ? `${words.escalated(alert.unacknowledgedMinutes ?? 0)} · ` : '';
  return `${prefix}${label}${alert.plate ? ` · ${alert.plate}` : ''}`;
}

export function alertPush(alert: AlertForPerson): PushPayload {
  return {
    title: headline(alert),
    body: alert.message,
    url: alertPath(alert.incidentId),
    tag: alert.alertId,
    alert_id: alert.alertId,
    incident_id: alert.incidentId,
    severity: alert.severity,
    lang: alert.lang,
  };
}

export function alertEmail(alert: AlertForPerson, baseUrl: string): EmailText {
  const words = WORDS[alert.lang];
  const link = `${baseUrl}${alertPath(alert.incidentId)}`;
  const when = localTime(alert.createdAt, alert.timeZone, alert.lang);
  const label = SEVERITY[alert.lang][alert.severity];
  const why = alert.reason === 'escalation' ? words.whyEscalation : words.why;
  const subject = `TaxiWatch · ${headline(alert)}: ${alert.message}`.slice(0, 200);
  const text = [
    alert.message,
    '',
    `${words.severity}: ${label}`,
    ...(alert.plate ? [`${words.vehicle}: ${alert.plate}`] : []),
    `${words.at}: ${when}`,
    '',
    `${words.open}: ${link}`,
    '',
    '--',
    why,
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${alert.lang}"><body style="font-family:sans-serif"><p><strong>${escapeHtml(alert.message)}</strong></p><p>${escapeHtml(words.severity)}: ${escapeHtml(label)}${alert.plate ? `<br>${escapeHtml(words.vehicle)}: ${escapeHtml(alert.plate)}` : ''}<br>${escapeHtml(words.at)}: ${escapeHtml(when)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(words.open)}</a></p><p style="color:#666;font-size:small">${escapeHtml(why)}</p></body></html>`;
  return { subject, text, html };
}

export interface DigestItem {
  severity: Severity;
  message: string;
  incidentId: string | null;
  createdAt: Date;
}

export function digestEmail(
  items: DigestItem[],
  options: { lang: Lang; timeZone: string; day: string; baseUrl: string },
): EmailText {
  const words = WORDS[options.lang];
  const lines = items.map((item) => ({
    when: localTime(item.createdAt, options.timeZone, options.lang),
    label: SEVERITY[options.lang][item.severity],
    item,
    link: `${options.baseUrl}${alertPath(item.incidentId)}`,
  }));
  const text = [
    words.digestIntro(items.length),
    '',
    ...lines.map((l) => `- ${l.when} · ${l.label} · ${l.item.message}\n  ${l.link}`),
    '',
    '--',
    words.why,
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="${options.lang}"><body style="font-family:sans-serif"><p>${escapeHtml(words.digestIntro(items.length))}</p><ul>${lines.map((l) => `<li>${escapeHtml(l.when)} · ${escapeHtml(l.label)} · <a href="${escapeHtml(l.link)}">${escapeHtml(l.item.message)}</a></li>`).join('')}</ul><p style="color:#666;font-size:small">${escapeHtml(words.why)}</p></body></html>`;
  return { subject: words.digestSubject(items.length, options.day), text, html };
}
