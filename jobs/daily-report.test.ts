/**
 * The daily-report job with a mail service: the report is made, then its link goes to the fleet's owners once; a
 * mail service down for now fails the try (the queue tries again) until the last try, which finishes the day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createMemoryEmail } from '../edge/adapters/email/memory-email.ts';
import { createFleet } from '../edge/domain/provisioning.ts';
import type { Platform } from '../edge/platform.ts';
import type { EmailOutcome, EmailSender } from '../edge/ports/email.ts';
import { dailyReport, REPORT_EMAIL_ATTEMPTS } from './daily-report.ts';

describe('daily-report job emails the link', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await createTestPlatform({ PUBLIC_URL: 'https://taxiwatch.example' });
  });
  afterAll(() => platform.close());

  async function fleetWithOwner(name: string) {
    const db = platform.db.kysely;
    platform.clock.set('2026-05-01T00:00:00Z');
    const fleet = await createFleet(
      { db, clock: platform.clock, ids: platform.ids },
      { name, timezone: 'Europe/Madrid', locale: 'en' },
    );
    platform.clock.set('2026-06-01T06:00:00Z');
    const email = `owner@${name.toLowerCase().replace(/\W+/g, '-')}.example`;
    await db
      .insertInto('users')
      .values({
        id: platform.ids.next(),
        fleet_id: fleet.id,
        email,
        name: 'Owner',
        role: 'owner',
        password_hash: 'not-used',
        created_at: new Date(platform.clock.now()),
      })
      .execute();
    return { fleetId: fleet.id, email };
  }
  // Platform.email is wired at merge (issue 18's notifier); until then the job reads it where present.
  const withEmail = (email: EmailSender) => ({ ...platform, email }) as Platform;
  const runStatus = (fleetId: string) =>
    platform.db.kysely
      .selectFrom('fleet_day_runs')
      .select('status')
      .where('task', '=', 'daily-report')
      .where('fleet_id', '=', fleetId)
      .executeTakeFirstOrThrow();

  it('sends the ready report to the owner once, and a repeated job sends nothing', async () => {
    const { fleetId, email: to } = await fleetWithOwner('Cab One');
    const email = createMemoryEmail({ from: 'TaxiWatch <alerts@taxiwatch.localhost>' });
    const payload = { fleetId, day: '2026-05-31' };
    await dailyReport(withEmail(email), payload, { jobId: 'j1', attempt: 1 });
    await dailyReport(withEmail(email), payload, { jobId: 'j1', attempt: 2 });
    expect(email.sent.map((m) => [m.to, m.subject])).toEqual([[to, 'Daily report · Cab One · Sunday, 31 May 2026']]);
    expect(await runStatus(fleetId)).toEqual({ status: 'done' });
  }, 120_000);

  it('fails the try while the mail service is down for now, and finishes the day on the last try', async () => {
    const { fleetId } = await fleetWithOwner('Cab Two');
    const down: EmailOutcome = { status: 'failed', error: 'SMTP: no answer within 10000 ms', retry: true };
    const email: EmailSender = { name: 'down', send: async () => down };
    const payload = { fleetId, day: '2026-05-31' };
    await expect(dailyReport(withEmail(email), payload, { jobId: 'j2', attempt: 1 })).rejects.toThrow(/failed for now/);
    expect(await runStatus(fleetId)).toEqual({ status: 'pending' });
    await dailyReport(withEmail(email), payload, { jobId: 'j2', attempt: REPORT_EMAIL_ATTEMPTS });
    expect(await runStatus(fleetId)).toEqual({ status: 'done' });
  }, 120_000);
});
