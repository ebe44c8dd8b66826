/** Per-fleet retention through PATCH /api/v1/fleets/{id}: validated, shown with the defaults in force, owners only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';

describe('fleet retention settings', () => {
  let f: IncidentReviewFixture;
  beforeAll(async () => {
    f = await createIncidentReviewFixture();
  });
  afterAll(() => f.platform.close());

  it('shows the defaults in force, takes overrides, and refuses bad values with a 400 naming the field', async () => {
    const fleet = await (await f.call(f.tokens.ownerA, 'GET', `/api/v1/fleets/${f.fleetA}`)).json();
    expect(fleet.retention).toEqual({ frames_days: 7, fixes_days: 365, reports_days: 30, evidence_packs_days: 90 });
    const patched = await f.call(f.tokens.ownerA, 'PATCH', `/api/v1/fleets/${f.fleetA}`, { retention: { frames_days: 14, fixes_days: 0 } });
    expect(patched.status).toBe(200);
    expect((await patched.json()).retention).toEqual({ frames_days: 14, fixes_days: 0, reports_days: 30, evidence_packs_days: 90 });
    const bad = await f.call(f.tokens.ownerA, 'PATCH', `/api/v1/fleets/${f.fleetA}`, { retention: { frames_days: -1, photos_days: 3 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['retention.frames_days']));
    expect((await f.call(f.tokens.viewerA, 'PATCH', `/api/v1/fleets/${f.fleetA}`, { retention: { frames_days: 1 } })).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'PATCH', `/api/v1/fleets/${f.fleetA}`, { retention: { frames_days: 1 } })).status).toBe(404);
  });
});
