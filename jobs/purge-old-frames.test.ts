/** The retention sweep on PGlite and Postgres: old frames go (row and image), evidence stays, a second run does nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../e2e/support/test-databases.ts';
import { purgeOldFrames } from './purge-old-frames.ts';

const DAY = 86_400_000;
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];
const context = { attempt: 1 } as Parameters<typeof purgeOldFrames>[2];

describe.each(backends)('purge-old-frames on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  let now: number;
  const ago = (days: number, seconds = 0) => new Date(now - days * DAY + seconds * 1000);
  const frameIds = async () => (await f.platform.db.kysely.selectFrom('frames').select('id').orderBy('id').execute()).map((r) => r.id);
  const hasImage = async (id: string) => (await f.platform.blobs.get(`frames/test/${id}.jpg`)) !== null;

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    now = f.platform.clock.now();
    const A1 = { fleetId: f.fleetA, vehicleId: f.vehicleA1 };
    const A2 = { fleetId: f.fleetA, vehicleId: f.vehicleA2 };
    await f.addIncident({ id: 'inc-phone', ...A1, occurredAt: ago(40) });
    await f.addIncident({ id: 'inc-merged', ...A1, occurredAt: ago(45), lastSeenAt: ago(45, 300) });
    await f.addIncident({ id: 'inc-linked', ...A1, occurredAt: ago(38) });
    await f.addFrame({ id: 'f-old', ...A1, at: ago(40, -3600) }); // nobody's evidence
    await f.addFrame({ id: 'f-before-phone', ...A1, at: ago(40, -5) }); // 5 s before the incident
    await f.addFrame({ id: 'f-other-taxi', ...A2, at: ago(40, -5) }); // same moment, another taxi: not evidence
    await f.addFrame({ id: 'f-during-merge', ...A1, at: ago(45, 120) }); // between first and last sighting
    await f.addFrame({ id: 'f-linked', ...A1, at: ago(39) }); // a day away, but linked to an incident
    await f.addFrame({ id: 'f-just-after', ...A1, at: ago(45, 311) }); // 11 s after the last sighting: outside the window
    await f.addFrame({ id: 'f-recent', ...A1, at: ago(10) });
    await f.platform.db.kysely.insertInto('incident_frames').values({ incident_id: 'inc-linked', frame_id: 'f-linked', fleet_id: f.fleetA, added_at: ago(38) }).execute();
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('keeps everything when FRAME_RETENTION_DAYS is 0', async () => {
    const keepAll = { ...f.platform, config: { ...f.platform.config, FRAME_RETENTION_DAYS: 0 } };
    await purgeOldFrames(keepAll, null, context);
    expect(await frameIds()).toHaveLength(7);
  });

  it.skipIf(!up)('deletes frames past the retention, rows and images, in batches, and keeps every incident\'s evidence', async () => {
    expect(f.platform.config.FRAME_RETENTION_DAYS).toBe(30);
    await purgeOldFrames(f.platform, { batchSize: 2 }, context);
    expect(await frameIds()).toEqual(['f-before-phone', 'f-during-merge', 'f-linked', 'f-recent']);
    for (const gone of ['f-old', 'f-other-taxi', 'f-just-after']) expect(await hasImage(gone), gone).toBe(false);
    for (const kept of ['f-before-phone', 'f-during-merge', 'f-linked', 'f-recent']) expect(await hasImage(kept), kept).toBe(true);
    // The incidents and their evidence links are untouched.
    expect(await f.platform.db.kysely.selectFrom('incident_frames').select('frame_id').execute()).toEqual([{ frame_id: 'f-linked' }]);

    await purgeOldFrames(f.platform, null, context);
    expect(await frameIds()).toHaveLength(4);
  });
});
