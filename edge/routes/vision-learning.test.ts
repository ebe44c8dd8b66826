/**
 * Teaching the fleet's model: an owner labels frames, reviews of vision incidents become examples, the model's
 * examples and held-out accuracy are shown — per fleet, never across fleets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineOf, FRONT_CALM, withPoint } from '../../e2e/support/driver-signals.ts';
import { at, createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { frameFeatures } from '../domain/vision/frame-features.ts';

const BASE = baselineOf(FRONT_CALM);
const atEar = (i: number) => withPoint(FRONT_CALM, 'right_wrist', 0.45 + i * 0.002, 0.27 + i * 0.003);
const calm = (i: number) => withPoint(FRONT_CALM, 'right_wrist', 0.4 + i * 0.002, 0.62 - i * 0.002);

describe('vision learning routes', () => {
  let f: IncidentReviewFixture;
  const analysed = (signals: typeof FRONT_CALM) => ({ signals, features: frameFeatures(signals, BASE), verdict: null });

  beforeAll(async () => {
    f = await createIncidentReviewFixture();
    for (let i = 0; i < 6; i++) {
      await f.addFrame({ id: `phone-${i}`, fleetId: f.fleetA, vehicleId: f.vehicleA1, at: at(i * 10), analysis: analysed(atEar(i)) });
      await f.addFrame({ id: `calm-${i}`, fleetId: f.fleetA, vehicleId: f.vehicleA1, at: at(100 + i * 10), analysis: analysed(calm(i)) });
    }
    await f.addFrame({ id: 'cloud-only', fleetId: f.fleetA, vehicleId: f.vehicleA1, at: at(300), analysis: { signals: null, verdict: null } });
    await f.addFrame({ id: 'frame-b', fleetId: f.fleetB, vehicleId: f.vehicleB, at: at(0), analysis: analysed(atEar(0)) });
  });
  afterAll(() => f.platform.close());

  it('learns from labelled frames and shows examples and held-out accuracy once there are enough', async () => {
    let last;
    for (let i = 0; i < 5; i++) {
      expect((await f.call(f.tokens.ownerA, 'POST', `/api/v1/frames/phone-${i}/label`, { label: 'PHONE_USAGE' })).status).toBe(200);
      last = await (await f.call(f.tokens.ownerA, 'POST', `/api/v1/frames/calm-${i}/label`, { label: 'NONE' })).json();
    }
    expect(last).toMatchObject({ frame_id: 'calm-4', label: 'NONE', model: { examples: 10, by_label: { NONE: 5, PHONE_USAGE: 5 }, active: true, min_examples: 10 } });
    expect(last.model.accuracy).toBeGreaterThanOrEqual(0.8);
    const summary = await (await f.call(f.tokens.viewerA, 'GET', '/api/v1/vision/model')).json();
    expect(summary).toMatchObject({ fleet_id: f.fleetA, examples: 10, active: true });
    // Relabelling a frame replaces its example rather than adding one.
    const relabelled = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/frames/calm-4/label', { label: 'PHONE_USAGE' })).json();
    expect(relabelled.model).toMatchObject({ examples: 10, by_label: { NONE: 4, PHONE_USAGE: 6 } });
  });

  it('learns from reviews of vision incidents: a false positive is fine, a resolved one its type', async () => {
    await f.addIncident({ id: 'inc-fp', fleetId: f.fleetA, vehicleId: f.vehicleA1, type: 'PHONE_USAGE', occurredAt: at(150), frameId: 'calm-5' });
    expect((await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/inc-fp', { status: 'false_positive', reason_code: 'misdetection' })).status).toBe(200);
    const example = await f.platform.db.kysely.selectFrom('vision_examples').selectAll().where('frame_id', '=', 'calm-5').executeTakeFirstOrThrow();
    expect(example).toMatchObject({ label: 'NONE', source: 'review', incident_id: 'inc-fp', fleet_id: f.fleetA });
    await f.addIncident({ id: 'inc-ok', fleetId: f.fleetA, vehicleId: f.vehicleA1, type: 'PHONE_USAGE', occurredAt: at(50), frameId: 'phone-5' });
    await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/inc-ok', { status: 'resolved' });
    expect(await f.platform.db.kysely.selectFrom('vision_examples').select('label').where('frame_id', '=', 'phone-5').executeTakeFirstOrThrow()).toEqual({ label: 'PHONE_USAGE' });
  });

  it('refuses an unknown label, a frame with nothing measured, and a missing fleet for admins, with clear errors', async () => {
    const bad = await f.call(f.tokens.ownerA, 'POST', '/api/v1/frames/phone-0/label', { label: 'SLEEPY' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('validation_failed');
    const nothing = await f.call(f.tokens.ownerA, 'POST', '/api/v1/frames/cloud-only/label', { label: 'NONE' });
    expect(nothing.status).toBe(409);
    expect((await nothing.json()).error.message).toMatch(/no measurements/);
    expect((await f.call(f.tokens.admin, 'GET', '/api/v1/vision/model')).status).toBe(400);
    expect(await (await f.call(f.tokens.admin, 'GET', `/api/v1/vision/model?fleet_id=${f.fleetB}`)).json()).toMatchObject({ fleet_id: f.fleetB, examples: 0, active: false, accuracy: null });
  });

  it('keeps fleets apart and viewers read-only', async () => {
    expect((await f.call(f.tokens.ownerB, 'POST', '/api/v1/frames/phone-0/label', { label: 'NONE' })).status).toBe(404);
    expect((await f.call(f.tokens.viewerA, 'POST', '/api/v1/frames/phone-0/label', { label: 'NONE' })).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'GET', `/api/v1/vision/model?fleet_id=${f.fleetA}`)).status).toBe(404);
    expect(await (await f.call(f.tokens.ownerB, 'GET', '/api/v1/vision/model')).json()).toMatchObject({ fleet_id: f.fleetB, examples: 0 });
    expect((await f.call(null, 'GET', '/api/v1/vision/model')).status).toBe(401);
  });
});
