/** Evidence around an incident and the links that share it: window edges, signed downloads, expiry, revocation, tenancy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { at, createIncidentReviewFixture, T0, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';

// Timestamps and window edges are compared by the database: run on both engines the product ships with.
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('incident evidence and share links on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
  const localPath = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    const A = { fleetId: f.fleetA, vehicleId: f.vehicleA1 };
    // The incident runs from +60 s to +90 s: frames count from +50 s to +100 s, the track from -60 s to +210 s.
    for (const [id, second] of [['f-49', 49], ['f-50', 50], ['f-60', 60], ['f-100', 100], ['f-101', 101]] as const) {
      await f.addFrame({ id, ...A, at: at(second), bytes: new Uint8Array([0xff, 0xd8, second, 0xff, 0xd9]), analysis: second === 60 ? { incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.91, description: 'phone at ear', signals: { phone_score: 0.8 } } : undefined });
    }
    await f.addFrame({ id: 'f-other-vehicle', fleetId: f.fleetA, vehicleId: f.vehicleA2, at: at(70) });
    for (const second of [-61, -60, 0, 60, 210, 211]) await f.addFix({ ...A, at: at(second), latitude: 40 + second / 10_000, longitude: -3.7, speedKmh: 30 });
    await f.addIncident({ id: 'inc-ev', ...A, occurredAt: at(60), lastSeenAt: at(90), frameId: 'f-60' });
    await f.addIncident({ id: 'inc-b', fleetId: f.fleetB, vehicleId: f.vehicleB, occurredAt: at(60) });
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('gathers the frames from 10 s before to 10 s after the incident, both ends included, with their analysis', async () => {
    const res = await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/evidence');
    expect(res.status).toBe(200);
    const evidence = await res.json();
    expect(ids(evidence.frames)).toEqual(['f-50', 'f-60', 'f-100']);
    expect(evidence.window).toEqual({ frames_from: at(50).toISOString(), frames_to: at(100).toISOString(), track_from: at(-60).toISOString(), track_to: at(210).toISOString() });
    expect(evidence.incident).toMatchObject({ id: 'inc-ev', occurred_at: at(60).toISOString(), last_seen_at: at(90).toISOString() });
    expect(evidence.vehicle).toEqual({ id: f.vehicleA1, plate: 'A-001' });
    const incidentFrame = evidence.frames[1];
    expect(incidentFrame).toMatchObject({ is_incident_frame: true, analysis: { status: 'done', incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.91, description: 'phone at ear' } });
    expect(evidence.frames[0].analysis).toEqual({ status: 'pending', incident_detected: null, type: null, severity: null, confidence: null, description: null });
    expect(evidence.frames[0].blob_key).toBeUndefined();
  });

  it.skipIf(!up)('returns the track two minutes either side as points and as a GeoJSON LineString', async () => {
    const evidence = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/evidence')).json();
    const seconds = [-60, 0, 60, 210];
    expect(evidence.track.points.map((p: { at: string }) => p.at)).toEqual(seconds.map((s) => at(s).toISOString()));
    expect(evidence.track.geojson).toEqual({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: seconds.map((s) => [-3.7, 40 + s / 10_000]) },
      properties: { times: seconds.map((s) => at(s).toISOString()) },
    });
  });

  it.skipIf(!up)('adds the frames merged into the incident, even outside the window, and marks them', async () => {
    await f.addFrame({ id: 'f-merged-late', fleetId: f.fleetA, vehicleId: f.vehicleA1, at: at(400) });
    await f.platform.db.kysely.insertInto('incident_frames').values([{ incident_id: 'inc-ev', frame_id: 'f-merged-late', fleet_id: f.fleetA, added_at: at(400) }, { incident_id: 'inc-ev', frame_id: 'f-100', fleet_id: f.fleetA, added_at: at(100) }]).execute();
    try {
      const evidence = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/evidence')).json();
      expect(ids(evidence.frames)).toEqual(['f-50', 'f-60', 'f-100', 'f-merged-late']);
      expect(evidence.frames.map((fr: { is_incident_frame: boolean }) => fr.is_incident_frame)).toEqual([false, true, true, true]);
    } finally {
      await f.platform.db.kysely.deleteFrom('incident_frames').execute();
      await f.platform.db.kysely.deleteFrom('frames').where('id', '=', 'f-merged-late').execute();
    }
  });

  it.skipIf(!up)('takes the window from the query, and refuses a window out of range', async () => {
    const narrow = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/evidence?before_seconds=0&after_seconds=11&track_seconds=0')).json();
    expect(ids(narrow.frames)).toEqual(['f-60', 'f-100', 'f-101']);
    expect(narrow.track.points).toHaveLength(1);
    expect(narrow.track.geojson.geometry).toBeNull();
    for (const bad of ['before_seconds=-1', 'after_seconds=301', 'track_seconds=soon']) {
      const res = await f.call(f.tokens.ownerA, 'GET', `/api/v1/incidents/inc-ev/evidence?${bad}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
  });

  it.skipIf(!up)('signs download URLs that serve the frame bytes and stop working after five minutes', async () => {
    const evidence = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/evidence')).json();
    const url = localPath(evidence.frames[0].download_url);
    const download = await f.app.request(url);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 50, 0xff, 0xd9]));
    f.platform.clock.advance(301_000);
    try {
      expect((await f.app.request(url)).status).toBe(403);
    } finally {
      f.platform.clock.set(T0);
    }
  });

  it.skipIf(!up)('hides another fleet’s incident: evidence and sharing answer 404', async () => {
    expect((await f.call(f.tokens.ownerB, 'GET', '/api/v1/incidents/inc-ev/evidence')).status).toBe(404);
    expect((await f.call(f.tokens.ownerB, 'POST', '/api/v1/incidents/inc-ev/share', {})).status).toBe(404);
    expect((await f.call(f.tokens.ownerB, 'DELETE', '/api/v1/incidents/inc-ev/share')).status).toBe(404);
    expect((await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-b/evidence')).status).toBe(404);
    expect((await f.call(null, 'GET', '/api/v1/incidents/inc-ev/evidence')).status).toBe(401);
  });

  it.skipIf(!up)('lets viewers look but not share', async () => {
    expect((await f.call(f.tokens.viewerA, 'GET', '/api/v1/incidents/inc-ev/evidence')).status).toBe(200);
    const res = await f.call(f.tokens.viewerA, 'POST', '/api/v1/incidents/inc-ev/share', {});
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect((await f.call(f.tokens.viewerA, 'DELETE', '/api/v1/incidents/inc-ev/share')).status).toBe(403);
  });

  it.skipIf(!up)('refuses a link lifetime that is too short, too long or not a number', async () => {
    for (const body of [{ expires_in_minutes: 0 }, { expires_in_minutes: 4 }, { expires_in_minutes: 10081 }, { expires_in_minutes: 1e12 }, { expires_in_minutes: 'soon' }, { expires_in_minutes: 60.5 }, { expires_in: 60 }, '[1]']) {
      const res = await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    const notJson = await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', '{oops');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('bad_request');
  });

  it.skipIf(!up)('shares the evidence without a session until the link expires, without the reviewer’s user id', async () => {
    await f.call(f.tokens.ownerA, 'PATCH', '/api/v1/incidents/inc-ev', { status: 'acknowledged' });
    const created = await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', { expires_in_minutes: 5 });
    expect(created.status).toBe(201);
    const link = await created.json();
    expect(link.expires_at).toBe(new Date(T0 + 5 * 60_000).toISOString());
    expect(link.url).toMatch(/^http:\/\/localhost:\d+\/share\/incidents\/[A-Za-z0-9_-]{43}$/);
    const res = await f.app.request(localPath(link.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const shared = await res.json();
    expect(ids(shared.frames)).toEqual(['f-50', 'f-60', 'f-100']);
    expect(shared.track.points).toHaveLength(4);
    expect(shared.incident).toMatchObject({ id: 'inc-ev', status: 'acknowledged' });
    expect(shared.incident).not.toHaveProperty('status_changed_by');
    expect(JSON.stringify(shared)).not.toContain(f.ownerAId);
    // The frames download through the link's page, as they would in the recipient's browser.
    expect((await f.app.request(localPath(shared.frames[1].download_url))).status).toBe(200);

    f.platform.clock.advance(5 * 60_000);
    try {
      const expired = await f.app.request(localPath(link.url));
      expect(expired.status).toBe(404);
      expect((await expired.json()).error.details).toEqual({ reason: 'expired' });
    } finally {
      f.platform.clock.set(T0);
    }
  });

  it.skipIf(!up)('renders an escaped, script-free page for browsers', async () => {
    await f.platform.db.kysely.updateTable('incidents').set({ description: '<script>alert(1)</script>' }).where('id', '=', 'inc-ev').execute();
    const link = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share')).json();
    expect(link.expires_at).toBe(new Date(T0 + 1440 * 60_000).toISOString());
    const page = await f.app.request(localPath(link.url), { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html.match(/<img /g)).toHaveLength(3);
    expect(html).toContain('A-001');
    // Fleet A was created with the default locale, Spanish.
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Recorrido (4 puntos)');
    // Types, severities and statuses in the fleet's language too, not as codes.
    expect(html).toContain('<h1>Uso del móvil (alta)</h1>');
    expect(html).toContain('<title>Incidente: Uso del móvil — TaxiWatch</title>');
    expect(html).toContain(' · Uso del móvil (alta) — phone at ear');
    expect(html).not.toContain('PHONE_USAGE');
    expect((await f.app.request(`${localPath(link.url)}?format=json`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it.skipIf(!up)('withdraws every live link of an incident at once', async () => {
    const first = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', { expires_in_minutes: 60 })).json();
    const second = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', { expires_in_minutes: 60 })).json();
    expect(first.url).not.toBe(second.url);
    expect((await f.app.request(localPath(first.url))).status).toBe(200);
    // Six minutes on, the 5-minute link of an earlier test has expired: it is not counted as withdrawn.
    f.platform.clock.advance(6 * 60_000);
    try {
      const revoked = await f.call(f.tokens.ownerA, 'DELETE', '/api/v1/incidents/inc-ev/share');
      expect(revoked.status).toBe(200);
      expect(await revoked.json()).toEqual({ revoked: 3 });
      for (const link of [first, second]) {
        const res = await f.app.request(localPath(link.url));
        expect(res.status).toBe(404);
        expect((await res.json()).error.details).toEqual({ reason: 'revoked' });
      }
      expect(await (await f.call(f.tokens.ownerA, 'DELETE', '/api/v1/incidents/inc-ev/share')).json()).toEqual({ revoked: 0 });
    } finally {
      f.platform.clock.set(T0);
    }
    const audit = await f.platform.db.kysely.selectFrom('audit_log').select('event').where('event', 'like', 'incident_share%').execute();
    expect(audit.filter((a) => a.event === 'incident_share_revoked')).toHaveLength(2);
  });

  it.skipIf(!up)('lists an incident’s links without their tokens and withdraws one of them', async () => {
    const keep = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', { expires_in_minutes: 30 })).json();
    const drop = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', { expires_in_minutes: 30 })).json();
    const listed = await (await f.call(f.tokens.viewerA, 'GET', '/api/v1/incidents/inc-ev/share')).json();
    const live = listed.data.filter((l: { state: string }) => l.state === 'live').map((l: { id: string }) => l.id);
    expect(live).toEqual(expect.arrayContaining([keep.id, drop.id]));
    expect(listed.data.find((l: { id: string }) => l.id === drop.id)).toEqual({ id: drop.id, created_at: new Date(T0).toISOString(), created_by: f.ownerAId, expires_at: drop.expires_at, revoked_at: null, state: 'live', views: 0, last_viewed_at: null });
    expect(JSON.stringify(listed)).not.toContain(new URL(drop.url).pathname.split('/').at(-1));
    expect((await f.call(f.tokens.viewerA, 'DELETE', `/api/v1/incidents/inc-ev/share/${drop.id}`)).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'DELETE', `/api/v1/incidents/inc-ev/share/${drop.id}`)).status).toBe(404);
    expect((await f.call(f.tokens.ownerA, 'DELETE', `/api/v1/incidents/inc-b/share/${drop.id}`)).status).toBe(404);
    const withdrawn = await f.call(f.tokens.ownerA, 'DELETE', `/api/v1/incidents/inc-ev/share/${drop.id}`);
    expect(await withdrawn.json()).toMatchObject({ id: drop.id, state: 'revoked' });
    expect((await f.call(f.tokens.ownerA, 'DELETE', `/api/v1/incidents/inc-ev/share/${drop.id}`)).status).toBe(200);
    expect((await f.call(f.tokens.ownerA, 'DELETE', '/api/v1/incidents/inc-ev/share/no-such-link')).status).toBe(404);
    expect((await f.app.request(localPath(drop.url))).status).toBe(404);
    expect((await f.app.request(localPath(keep.url))).status).toBe(200);
    // Opening a link counts as a view; refused attempts do not.
    const after = await (await f.call(f.tokens.ownerA, 'GET', '/api/v1/incidents/inc-ev/share')).json();
    expect(after.data.find((l: { id: string }) => l.id === keep.id)).toMatchObject({ views: 1, last_viewed_at: new Date(T0).toISOString() });
    expect(after.data.find((l: { id: string }) => l.id === drop.id)).toMatchObject({ views: 0, state: 'revoked' });
  });

  it.skipIf(!up)('holds API keys to their scopes', async () => {
    const deps = { db: f.platform.db.kysely, clock: f.platform.clock, ids: f.platform.ids };
    const reader = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:incidents', 'read:frames', 'read:fixes'] })).key;
    const incidentsOnly = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:incidents', 'write:incidents'] })).key;
    const writer = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['write:incidents', 'read:frames', 'read:fixes'] })).key;
    const other = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:vehicles'] })).key;
    expect((await f.call(reader, 'GET', '/api/v1/incidents/inc-ev/evidence')).status).toBe(200);
    expect((await f.call(reader, 'POST', '/api/v1/incidents/inc-ev/share', {})).status).toBe(403);
    expect((await f.call(other, 'GET', '/api/v1/incidents/inc-ev/evidence')).status).toBe(403);
    // Evidence is frames and GPS points: the incident scopes alone open neither it nor a share link to it.
    for (const [method, path] of [['GET', '/api/v1/incidents/inc-ev/evidence'], ['POST', '/api/v1/incidents/inc-ev/share'], ['POST', '/api/v1/incidents/inc-ev/evidence-packs']] as const) {
      const refused = await f.call(incidentsOnly, method, path, method === 'POST' ? {} : undefined);
      expect(refused.status, path).toBe(403);
      expect((await refused.json()).error.message).toMatch(/read:(frames|fixes)/);
    }
    const shared = await f.call(writer, 'POST', '/api/v1/incidents/inc-ev/share', {});
    expect(shared.status).toBe(201);
    const listed = await (await f.call(reader, 'GET', '/api/v1/incidents/inc-ev/share')).json();
    expect(listed.data[0]).toMatchObject({ id: (await shared.json()).id, created_by: null });
  });

  it.skipIf(!up)('lets an API key mark an alert read only with write:alerts', async () => {
    const deps = { db: f.platform.db.kysely, clock: f.platform.clock, ids: f.platform.ids };
    await f.platform.db.kysely.insertInto('alerts').values({ id: 'alert-scope', fleet_id: f.fleetA, incident_id: 'inc-ev', vehicle_id: f.vehicleA1, severity: 'HIGH', message: 'Phone use', created_at: at(60), read_at: null, acknowledged_at: null, acknowledged_by: null }).execute();
    const reader = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:alerts'] })).key;
    const writer = (await createApiKey(deps, { fleetId: f.fleetA, scopes: ['read:alerts', 'write:alerts'] })).key;
    expect((await f.call(reader, 'GET', '/api/v1/alerts/alert-scope')).status).toBe(200);
    const refused = await f.call(reader, 'POST', '/api/v1/alerts/alert-scope/read', {});
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain('write:alerts');
    expect((await f.call(writer, 'POST', '/api/v1/alerts/alert-scope/read', {})).status).toBe(200);
    // A person who may only read (a viewer) still keeps their own bookkeeping.
    expect((await f.call(f.tokens.viewerA, 'POST', '/api/v1/alerts/alert-scope/read', {})).status).toBe(200);
  });

  it.skipIf(!up)('refuses a tampered or made-up token with the same 404', async () => {
    const link = await (await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-ev/share', {})).json();
    const path = localPath(link.url);
    const last = path.at(-1)!;
    const tampered = path.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    for (const probe of [tampered, '/share/incidents/short', `/share/incidents/${'A'.repeat(43)}`, `${path}x`]) {
      const res = await f.app.request(probe);
      expect(res.status, probe).toBe(404);
      expect((await res.json()).error.details).toEqual({ reason: 'unknown' });
    }
    const hashes = await f.platform.db.kysely.selectFrom('incident_share_links').select('token_hash').execute();
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.token_hash) && !link.url.includes(h.token_hash))).toBe(true);
  });
});
