/** The daily report's link by email: to each owner once, in the fleet's language, and again only where it failed for now. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createMemoryEmail, type MemoryEmail } from '../../adapters/email/memory-email.ts';
import type { EmailMessage, EmailOutcome, EmailSender } from '../../ports/email.ts';
import { createFleet } from '../provisioning.ts';
import { emailReportLink, reportLinkMessage } from './report-email.ts';

const DAY = '2026-05-31';

describe('emailReportLink', () => {
  let platform: TestPlatform;
  let email: MemoryEmail;

  beforeEach(async () => {
    platform = await createTestPlatform({ PUBLIC_URL: 'https://taxiwatch.example' });
    email = createMemoryEmail({ from: 'TaxiWatch <alerts@taxiwatch.localhost>' });
  });
  afterEach(() => platform.close());

  const deps = (sender: EmailSender | null = email) => ({ ...platform, email: sender ?? undefined });

  async function fleetWithReport(
    options: { name?: string; locale?: 'es' | 'en'; status?: 'ready' | 'queued'; domain?: string } = {},
  ) {
    const db = platform.db.kysely;
    const fleet = await createFleet(
      { db, clock: platform.clock, ids: platform.ids },
      { name: options.name ?? 'Radio Taxi Ñandú', timezone: 'Europe/Madrid', locale: options.locale ?? 'es' },
    );
    const user = async (local: string, name: string, role: 'owner' | 'viewer') => {
      const id = platform.ids.next();
      const email = `${local}@${options.domain ?? 'nandu.example'}`;
      await db
        .insertInto('users')
        .values({
          id,
          fleet_id: fleet.id,
          email,
          name,
          role,
          password_hash: 'not-used',
          created_at: new Date(platform.clock.now()),
        })
        .execute();
      return id;
    };
    const owners = [await user('begona', 'Begoña Ibáñez', 'owner'), await user('luis', 'Luis Peña', 'owner')];
    await user('viewer', 'Vera', 'viewer');
    const reportId = platform.ids.next();
    const blobKey = `reports/${fleet.id}/${reportId}/daily-${DAY}.pdf`;
    const now = new Date(platform.clock.now());
    const ready = (options.status ?? 'ready') === 'ready';
    await platform.blobs.put(blobKey, new TextEncoder().encode('%PDF-1.7 report'), { contentType: 'application/pdf' });
    await db
      .insertInto('reports')
      .values({
        id: reportId,
        fleet_id: fleet.id,
        kind: 'daily',
        format: 'pdf',
        status: ready ? 'ready' : 'queued',
        from_day: DAY,
        to_day: DAY,
        vehicle_id: null,
        driver_id: null,
        language: options.locale ?? 'es',
        requested_by: null,
        blob_key: ready ? blobKey : null,
        size_bytes: ready ? 15 : null,
        pages: ready ? 1 : null,
        error: null,
        created_at: now,
        updated_at: now,
        ready_at: ready ? now : null,
      })
      .execute();
    return { fleetId: fleet.id, reportId, owners, blobKey };
  }

  it("sends each owner of the fleet — not its viewers, not another fleet's owners — one message in Spanish with the links", async () => {
    const { reportId, blobKey } = await fleetWithReport();
    await fleetWithReport({ name: 'Otra flota', domain: 'otra.example' });
    expect(await emailReportLink(deps(), reportId)).toEqual({ sent: 2, refused: 0, retryable: 0 });
    expect(email.sent.map((m) => m.to)).toEqual(['begona@nandu.example', 'luis@nandu.example']);
    const [first] = email.sent;
    expect(first.from).toBe('TaxiWatch <alerts@taxiwatch.localhost>');
    expect(first.subject).toBe('Informe diario · Radio Taxi Ñandú · domingo, 31 de mayo de 2026');
    expect(first.text).toContain('Hola, Begoña Ibáñez:');
    expect(first.text).toContain('El informe diario de Radio Taxi Ñandú del domingo, 31 de mayo de 2026 está listo.');
    expect(first.text).toContain('Todos sus informes: https://taxiwatch.example/reports');
    expect(first.headers).toEqual({ 'X-TaxiWatch-Report': reportId });
    // The download link is the signed one, valid a day (what report_ready announces), in both parts.
    const link = await platform.blobs.signedUrl(blobKey, { expiresInSeconds: 86_400 });
    expect(link).toMatch(/^https:\/\/taxiwatch\.example\//);
    expect(first.text.split('\n')).toContain(link);
    expect(first.html).toContain(`href="${link.replace(/&/g, '&#38;')}"`);
    expect(first.html).toContain('<html lang="es">');
  });

  it('writes in English for an English-speaking fleet', async () => {
    const { reportId } = await fleetWithReport({ name: 'Cab Co', locale: 'en' });
    await emailReportLink(deps(), reportId);
    expect(email.sent[0].subject).toBe('Daily report · Cab Co · Sunday, 31 May 2026');
    expect(email.sent[0].text).toContain('Hello Begoña Ibáñez,');
    expect(email.sent[0].text).toContain('The daily report of Cab Co for Sunday, 31 May 2026 is ready.');
  });

  it('sends nothing twice when run again', async () => {
    const { reportId } = await fleetWithReport();
    await emailReportLink(deps(), reportId);
    expect(await emailReportLink(deps(), reportId)).toEqual({ sent: 0, refused: 0, retryable: 0 });
    expect(email.sent).toHaveLength(2);
  });

  it('tries again only the owners whose message failed for now, and never one refused for good', async () => {
    const { reportId } = await fleetWithReport();
    const answers: Record<string, EmailOutcome> = {
      'begona@nandu.example': { status: 'failed', error: 'SMTP 451: try later', retry: true },
      'luis@nandu.example': { status: 'failed', error: 'SMTP 550: no such user', retry: false },
    };
    const attempts: string[] = [];
    const flaky: EmailSender = { name: 'flaky', send: async (m: EmailMessage) => (attempts.push(m.to), answers[m.to]) };
    expect(await emailReportLink(deps(flaky), reportId)).toEqual({ sent: 0, refused: 1, retryable: 1 });
    expect(platform.logLines.filter((l) => l.msg === 'daily report email failed')).toHaveLength(2);
    answers['begona@nandu.example'] = { status: 'sent', messageId: 'm1' };
    expect(await emailReportLink(deps(flaky), reportId)).toEqual({ sent: 1, refused: 0, retryable: 0 });
    expect(attempts).toEqual(['begona@nandu.example', 'luis@nandu.example', 'begona@nandu.example']);
  });

  it('does nothing without a mail service, or for a report not ready', async () => {
    const { reportId } = await fleetWithReport();
    expect(await emailReportLink(deps(null), reportId)).toEqual({ sent: 0, refused: 0, retryable: 0 });
    const queued = await fleetWithReport({ status: 'queued', domain: 'queued.example' });
    expect(await emailReportLink(deps(), queued.reportId)).toEqual({ sent: 0, refused: 0, retryable: 0 });
    expect(email.sent).toHaveLength(0);
    // Without a mail service nothing is recorded either: a service configured later still sends.
    expect(await emailReportLink(deps(), reportId)).toMatchObject({ sent: 2 });
  });
});

describe('reportLinkMessage', () => {
  it('escapes names in the HTML part and keeps them as written in the text part', () => {
    const message = reportLinkMessage({
      language: 'en',
      timeZone: 'UTC',
      fleetName: 'Taxis <Rápidos> & Co',
      day: '2026-05-31',
      person: { email: 'o@x.example', name: '"Ana"' },
      downloadUrl: 'https://taxiwatch.example/blobs/r.pdf?exp=1&sig=a',
      reportsUrl: 'https://taxiwatch.example/reports',
      reportId: 'r1',
    });
    expect(message.text).toContain('The daily report of Taxis <Rápidos> & Co for Sunday, 31 May 2026 is ready.');
    expect(message.text).toContain('https://taxiwatch.example/blobs/r.pdf?exp=1&sig=a');
    expect(message.html).toContain('Taxis &#60;Rápidos&#62; &#38; Co');
    expect(message.html).toContain('href="https://taxiwatch.example/blobs/r.pdf?exp=1&#38;sig=a"');
    expect(message.html).not.toContain('<Rápidos>');
  });
});
