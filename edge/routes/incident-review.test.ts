/** Reviewing incidents with a reason code, and flagging a vehicle's camera as misaligned: who, when, and who may. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, createIncidentReviewFixture, T0, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { cameraIsMisaligned } from '../domain/review/camera-alignment.ts';

// Reviews run in transactions with guarded updates: run on both engines the product ships with.
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('incident review and camera flag on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  const now = new Date(T0).toISOString();

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    for (const id of ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6']) await f.addIncident({ id, fleetId: f.fleetA, vehicleId: f.vehicleA1, occurredAt: at(-60) });
    await f.addIncident({ id: 'r-b', fleetId: f.fleetB, vehicleId: f.vehicleB, occurredAt: at(-60) });
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('records a structured reason beside the free text', async () => {
    const res = await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-1', { status: 'false_positive', reason_code: 'passenger', reason: 'the passenger was on the phone' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'false_positive', status_reason_code: 'passenger', status_reason: 'the passenger was on the phone', status_changed_by: f.ownerAId, status_changed_at: now });
    // A code alone is enough; the free text alone still works as before.
    expect(await (await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-2', { status: 'false_positive', reason_code: 'glare' })).json()).toMatchObject({ status_reason_code: 'glare', status_reason: null });
    expect(await (await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-3', { status: 'false_positive', reason: 'test drive' })).json()).toMatchObject({ status_reason_code: null, status_reason: 'test drive' });
    const glare = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents?reason_code=glare')).json();
    expect(glare.data.map((i: { id: string }) => i.id)).toEqual(['r-2']);
    expect((await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents?reason_code=aliens')).status).toBe(400);
  });

  it.skipIf(!up)('answers a retried review like the first time, without announcing or auditing it twice', async () => {
    const seen: string[] = [];
    await f.platform.bus.subscribe(f.fleetA, (e) => seen.push(e.type));
    const review = { status: 'false_positive', reason_code: 'test', reason: 'workshop test' };
    const first = await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-6', review);
    f.platform.clock.advance(1000);
    const retry = await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-6', review);
    f.platform.clock.set(T0);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(await first.json());
    expect(seen).toEqual(['incident_updated']);
    const audited = await f.platform.db.kysely.selectFrom('audit_log').select('details').where('event', '=', 'incident_reviewed').execute();
    expect(audited.filter((a) => (a.details as { incidentId: string }).incidentId === 'r-6')).toHaveLength(1);
    // A different verdict on a closed incident is still a conflict.
    const other = await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-6', { status: 'false_positive', reason_code: 'glare' });
    expect(other.status).toBe(409);
    expect((await other.json()).error.code).toBe('conflict');
  });

  it.skipIf(!up)('refuses unknown or misplaced reason codes with 400 and changes nothing', async () => {
    for (const body of [
      { status: 'false_positive', reason_code: 'aliens' },
      { status: 'false_positive', reason_code: 'other' },
      { status: 'false_positive' },
      { status: 'resolved', reason_code: 'glare' },
      { status: 'false_positive', reason_code: 'glare', flag_camera: true },
      { status: 'false_positive', reason_code: 'glare', extra: 1 },
    ]) {
      const res = await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-4', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    expect(await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/r-4')).json()).toMatchObject({ status: 'open', status_reason_code: null });
    expect((await f.call(f.tokens.viewerA, 'PATCH', '/api/v1/incidents/r-4', { status: 'acknowledged' })).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'PATCH', '/api/v1/incidents/r-4', { status: 'acknowledged' })).status).toBe(404);
  });

  it.skipIf(!up)('offers to flag the camera when a false positive is blamed on it, and flags it when asked', async () => {
    const offered = await (await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-4', { status: 'false_positive', reason_code: 'camera_misaligned', reason: 'points at the roof' })).json();
    expect(offered).toMatchObject({ status_reason_code: 'camera_misaligned', camera: { misaligned: false }, camera_flag_offer: { method: 'POST', path: `/api/v1/vehicles/${f.vehicleA1}/camera`, body: { misaligned: true, note: 'points at the roof' } } });
    expect(await cameraIsMisaligned(f.platform.db.kysely, f.vehicleA1)).toBe(false);

    const flagged = await (await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/r-5', { status: 'false_positive', reason_code: 'camera_misaligned', flag_camera: true })).json();
    expect(flagged).toMatchObject({ status: 'false_positive', camera: { misaligned: true, since: now, note: 'incident r-5', changed_by: f.ownerAId }, camera_flag_offer: null });
    expect(await cameraIsMisaligned(f.platform.db.kysely, f.vehicleA1)).toBe(true);
    const vehicle = await (await f.call(f.tokens.ownerA, 'GET', `/api/v1/vehicles/${f.vehicleA1}`)).json();
    expect(vehicle.camera).toEqual({ misaligned: true, since: now, note: 'incident r-5', changed_by: f.ownerAId });
    expect(vehicle).not.toHaveProperty('camera_misaligned');
  });

  it.skipIf(!up)('flags and clears a camera through the vehicle, keeping since when the state does not change', async () => {
    const A2 = `/api/v1/vehicles/${f.vehicleA2}/camera`;
    f.platform.clock.set(at(100));
    const first = await f.call(f.tokens.ownerA, 'POST', A2, { misaligned: true, note: 'tilted down' });
    expect(first.status).toBe(200);
    expect((await first.json()).camera).toEqual({ misaligned: true, since: at(100).toISOString(), note: 'tilted down', changed_by: f.ownerAId });
    f.platform.clock.set(at(200));
    const again = await (await f.call(f.tokens.ownerA, 'POST', A2, { misaligned: true, note: 'tilted down, loose mount' })).json();
    expect(again.camera).toMatchObject({ since: at(100).toISOString(), note: 'tilted down, loose mount' });
    const list = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/vehicles')).json();
    expect(list.data.find((v: { id: string }) => v.id === f.vehicleA2).camera.misaligned).toBe(true);
    f.platform.clock.set(at(300));
    const cleared = await (await f.call(f.tokens.ownerA, 'POST', A2, { misaligned: false })).json();
    expect(cleared.camera).toEqual({ misaligned: false, since: at(300).toISOString(), note: null, changed_by: f.ownerAId });
    expect(await cameraIsMisaligned(f.platform.db.kysely, f.vehicleA2)).toBe(false);
    const audit = await f.platform.db.kysely.selectFrom('audit_log').select('details').where('event', '=', 'vehicle_camera_flagged').execute();
    expect(audit).toHaveLength(3);
    f.platform.clock.set(T0);
  });

  it.skipIf(!up)('lets only the fleet’s writers flag a camera, and checks the body', async () => {
    const path = `/api/v1/vehicles/${f.vehicleA2}/camera`;
    expect((await f.call(f.tokens.viewerA, 'POST', path, { misaligned: true })).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'POST', path, { misaligned: true })).status).toBe(404);
    expect((await f.call(null, 'POST', path, { misaligned: true })).status).toBe(401);
    for (const body of [{}, { misaligned: 'yes' }, { misaligned: true, note: 'x'.repeat(501) }, { misaligned: true, colour: 'red' }]) {
      const res = await f.call(f.tokens.ownerA, 'POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    expect(await cameraIsMisaligned(f.platform.db.kysely, f.vehicleA2)).toBe(false);
    expect(await cameraIsMisaligned(f.platform.db.kysely, 'no-such-vehicle')).toBe(false);
  });

  it.skipIf(!up)('lists the new routes in the OpenAPI document', async () => {
    const doc = await (await f.app.request('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/incidents/{id}/evidence', '/api/v1/incidents/{id}/share', '/api/v1/incidents/stats', '/share/incidents/{token}', '/api/v1/vehicles/{id}/camera']));
    expect(Object.keys(doc.paths['/api/v1/incidents/{id}/share'])).toEqual(['post', 'get', 'delete']);
  });
});
