/**
 * The daily report's link by email: once a fleet's daily report is ready, each owner of the fleet gets one message
 * in the fleet's language, a plain-text part and an HTML part, with the signed download link (valid a day) and the
 * reports page. Safely repeatable: each owner's message is one once-a-day run (fleet_day_runs, task
 * `daily-report-email:<user>`), marked done once the mail service took it or refused it for good; a repeat sends
 * only to those still pending (a crash between the service taking a message and recording it can send it twice).
 */
import type { Kysely } from 'kysely';
import { publicUrl } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import type { EmailMessage, EmailSender } from '../../ports/email.ts';
import { ANNOUNCED_URL_TTL_SECONDS } from './produce-report.ts';
import { reportWords, type ReportLanguage } from './report-texts.ts';

/** `email` absent: no mail service on this platform, nothing is sent. */
export type ReportEmailDeps = Pick<Platform, 'db' | 'blobs' | 'clock' | 'config' | 'log'> & { email?: EmailSender };

export interface ReportEmailOutcome {
  sent: number;
  /** Refused for good (a 5xx SMTP reply, a 4xx API answer): not tried again. */
  refused: number;
  /** Failed for now (time-out, 4xx SMTP reply, 429/5xx API answer): pending, sent by the next run. */
  retryable: number;
}

const TEXTS = {
  en: {
    subject: 'Daily report · {fleet} · {date}',
    greeting: 'Hello {name},',
    ready: 'The daily report of {fleet} for {date} is ready.',
    download: 'Download it (PDF; the link works for 24 hours):',
    downloadButton: 'Download the report (PDF)',
    linkNote: 'The download link works for 24 hours.',
    allReports: 'All your reports: {url}',
    allReportsLink: 'All your reports',
    why: 'You receive this as an owner of {fleet} on TaxiWatch.',
  },
  es: {
    subject: 'Informe diario · {fleet} · {date}',
    greeting: 'Hola, {name}:',
    ready: 'El informe diario de {fleet} del {date} está listo.',
    download: 'Descárguelo (PDF; el enlace funciona durante 24 horas):',
    downloadButton: 'Descargar el informe (PDF)',
    linkNote: 'El enlace de descarga funciona durante 24 horas.',
    allReports: 'Todos sus informes: {url}',
    allReportsLink: 'Todos sus informes',
    why: 'Recibe este correo como propietario de {fleet} en TaxiWatch.',
  },
} satisfies Record<ReportLanguage, Record<string, string>>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Sends the link of a ready daily report to the fleet's owners who have not had it yet. */
export async function emailReportLink(deps: ReportEmailDeps, reportId: string): Promise<ReportEmailOutcome> {
  const outcome: ReportEmailOutcome = { sent: 0, refused: 0, retryable: 0 };
  if (!deps.email) return outcome;
  const db = deps.db.kysely;
  const report = await db
    .selectFrom('reports')
    .selectAll()
    .where('id', '=', reportId)
    .where('kind', '=', 'daily')
    .where('status', '=', 'ready')
    .executeTakeFirst();
  if (!report?.blob_key) return outcome;
  const fleet = await db
    .selectFrom('fleets')
    .select(['name', 'timezone'])
    .where('id', '=', report.fleet_id)
    .executeTakeFirstOrThrow();
  const owners = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('fleet_id', '=', report.fleet_id)
    .where('role', '=', 'owner')
    .orderBy('email')
    .execute();
  if (owners.length === 0) return outcome;
  const downloadUrl = await deps.blobs.signedUrl(report.blob_key, { expiresInSeconds: ANNOUNCED_URL_TTL_SECONDS });
  const reportsUrl = `${publicUrl(deps.config)}/reports`;
  for (const owner of owners) {
    const run = { task: `daily-report-email:${owner.id}`, fleetId: report.fleet_id, day: report.from_day };
    if (!(await claimPending(db, run, new Date(deps.clock.now())))) continue;
    const message = reportLinkMessage({
      language: report.language,
      timeZone: fleet.timezone,
      fleetName: fleet.name,
      day: report.from_day,
      person: owner,
      downloadUrl,
      reportsUrl,
      reportId: report.id,
    });
    const result = await deps.email.send(message);
    if (result.status === 'sent') {
      outcome.sent++;
    } else {
      deps.log.warn('daily report email failed', {
        reportId: report.id,
        userId: owner.id,
        error: result.error,
        retry: result.retry,
      });
      if (result.retry) {
        outcome.retryable++;
        continue;
      }
      outcome.refused++;
    }
    await markDone(db, run, new Date(deps.clock.now()));
  }
  return outcome;
}

export interface ReportLinkInput {
  language: ReportLanguage;
  timeZone: string;
  fleetName: string;
  /** The report's day, YYYY-MM-DD. */
  day: string;
  person: { email: string; name: string };
  downloadUrl: string;
  reportsUrl: string;
  reportId: string;
}

/** The message itself, in the fleet's language: every link is in the text part too. */
export function reportLinkMessage(input: ReportLinkInput): EmailMessage {
  const words = TEXTS[input.language];
  const date = reportWords(input.language, input.timeZone).date(input.day);
  const fill = (text: string, values: Record<string, string>) =>
    text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
  const values = { date, fleet: input.fleetName, name: input.person.name, url: input.reportsUrl };
  const t = (key: keyof typeof words) => fill(words[key], values);
  const h = (key: keyof typeof words) =>
    fill(words[key], Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)])));
  const text = [
    t('greeting'),
    '',
    t('ready'),
    '',
    t('download'),
    input.downloadUrl,
    '',
    t('allReports'),
    '',
    '-- ',
    t('why'),
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${input.language}"><body style="font-family:sans-serif;line-height:1.5">`,
    `<p>${h('greeting')}</p>`,
    `<p>${h('ready')}</p>`,
    `<p><a href="${escapeHtml(input.downloadUrl)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">${h('downloadButton')}</a></p>`,
    `<p style="color:#555">${h('linkNote')} <a href="${escapeHtml(input.reportsUrl)}">${h('allReportsLink')}</a></p>`,
    `<p style="color:#777;font-size:12px">${h('why')}</p>`,
    '</body></html>',
  ].join('\n');
  return {
    to: input.person.email,
    subject: t('subject'),
    text,
    html,
    headers: { 'X-TaxiWatch-Report': input.reportId },
  };
}

interface RunKey {
  task: string;
  fleetId: string;
  day: string;
}

/** Claims the person's run for the day, or finds it still pending; false once it is done. */
async function claimPending(db: Kysely<Database>, key: RunKey, now: Date): Promise<boolean> {
  await db
    .insertInto('fleet_day_runs')
    .values({
      task: key.task,
      fleet_id: key.fleetId,
      day: key.day,
      status: 'pending',
      cutoff: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['task', 'fleet_id', 'day']).doNothing())
    .execute();
  const run = await db
    .selectFrom('fleet_day_runs')
    .select('status')
    .where('task', '=', key.task)
    .where('fleet_id', '=', key.fleetId)
    .where('day', '=', key.day)
    .executeTakeFirst();
  return run?.status === 'pending';
}

async function markDone(db: Kysely<Database>, key: RunKey, now: Date): Promise<void> {
  await db
    .updateTable('fleet_day_runs')
    .set({ status: 'done', finished_at: now, updated_at: now })
    .where('task', '=', key.task)
    .where('fleet_id', '=', key.fleetId)
    .where('day', '=', key.day)
    .execute();
}
