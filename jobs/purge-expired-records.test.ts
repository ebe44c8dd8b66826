/** Nightly housekeeping on PGlite and Postgres: only rows past their retention go; records and live rows stay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../e2e/support/test-databases.ts';
import { purgeExpiredRecords } from './purge-expired-records.ts';

const DAY = 86_400_000;
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];
const context = { attempt: 1 } as Parameters<typeof purgeExpiredRecords>[2];

describe.each(backends)('purge-expired-records on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  let now: number;
  const ago = (days: number) => new Date(now - days * DAY);
  const ids = async (table: 'refresh_tokens' | 'webhook_deliveries' | 'incident_share_links') =>
    (await f.platform.db.kysely.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id).filter((id) => id.startsWith('t-'));

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    now = f.platform.clock.now();
    const db = f.platform.db.kysely;
    const token = (id: string, expiresAt: Date) => ({ id, user_id: f.ownerAId, family_id: 'fam', token_hash: `hash-${id}`, expires_at: expiresAt, created_at: ago(40) });
    await db.insertInto('refresh_tokens').values([token('t-expired', ago(1)), token('t-valid', ago(-5))]).execute();
    await db.insertInto('job_deliveries').values([
      { message_id: 'msg-old', job_name: 'purge-finished-jobs', completed_at: ago(15) },
      { message_id: 'msg-recent', job_name: 'purge-finished-jobs', completed_at: ago(13) },
    ]).execute();
    await db.insertInto('webhooks').values({ id: 'hook', fleet_id: f.fleetA, url: 'https://hooks.example.com/in', event_types: JSON.stringify(['new_alert']), secret: 'whsec_x', created_at: ago(60) }).execute();
    const delivery = async (id: string, status: 'pending' | 'succeeded' | 'failed', updatedAt: Date) => {
      await db.insertInto('webhook_deliveries').values({ id, webhook_id: 'hook', fleet_id: f.fleetA, event_type: 'new_alert', payload: '{}', created_at: ago(60), updated_at: updatedAt }).execute();
      await db.updateTable('webhook_deliveries').set({ status }).where('id', '=', id).execute();
    };
    await delivery('t-ok-old', 'succeeded', ago(31));
    await delivery('t-failed-old', 'failed', ago(31));
    await delivery('t-ok-recent', 'succeeded', ago(29));
    await delivery('t-pending-old', 'pending', ago(31)); // still being retried: never purged, however old
    await f.addIncident({ id: 'inc', fleetId: f.fleetA, vehicleId: f.vehicleA1, occurredAt: ago(60) });
    const link = (id: string, expiresAt: Date, revokedAt: Date | null) => ({ id, fleet_id: f.fleetA, incident_id: 'inc', token_hash: `link-${id}`, created_by: null, created_at: ago(60), expires_at: expiresAt, revoked_at: revokedAt });
    await db.insertInto('incident_share_links').values([link('t-link-expired-long-ago', ago(31), null), link('t-link-expired-lately', ago(2), null), link('t-link-revoked-long-ago', ago(-10), ago(31)), link('t-link-live', ago(-1), null)]).execute();
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('removes expired tokens, old idempotency ids, finished deliveries and dead share links — nothing else', async () => {
    await purgeExpiredRecords(f.platform, null, context);
    expect(await ids('refresh_tokens')).toEqual(['t-valid']);
    expect((await f.platform.db.kysely.selectFrom('job_deliveries').select('message_id').execute()).map((r) => r.message_id)).toEqual(['msg-recent']);
    expect(await ids('webhook_deliveries')).toEqual(['t-ok-recent', 't-pending-old']);
    expect(await ids('incident_share_links')).toEqual(['t-link-expired-lately', 't-link-live']);
    expect(await f.platform.db.kysely.selectFrom('incidents').select('id').where('id', '=', 'inc').execute()).toHaveLength(1);

    await purgeExpiredRecords(f.platform, null, context); // idempotent
    expect(await ids('webhook_deliveries')).toEqual(['t-ok-recent', 't-pending-old']);
  });
});
