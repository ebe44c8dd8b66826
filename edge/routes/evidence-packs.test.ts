/**
 * Evidence packs through the API: what a pack holds (frames −30 s..+30 s, track, telemetry, verdicts), that it
 * verifies, and that any change to it (a frame, the manifest, an added file, another key) is caught.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { assemblePack, packKeyId, verifyPack, type PublicJwk } from '../domain/evidence/pack-format.ts';
import { toBase64Url } from '../domain/bytes.ts';

describe('evidence packs', () => {
  let f: IncidentReviewFixture;
  let pack: { id: string; sha256: string; frames: number; file_url: string; expires_at: string };
  let bytes: Uint8Array;
  let serverKeyId: string;

  beforeAll(async () => {
    f = await createIncidentReviewFixture();
    const A1 = { fleetId: f.fleetA, vehicleId: f.vehicleA1 };
    for (const s of [-40, -25, 0, 20, 35]) await f.addFrame({ id: `frame${s}`, ...A1, at: at(s), bytes: new Uint8Array([0xff, 0xd8, s & 0xff, 0xff, 0xd9]), analysis: s === 0 ? { verdict: { incident_detected: true, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.93, description: 'phone at the ear' } } : undefined });
    for (let s = -150; s <= 150; s += 10) await f.addFix({ ...A1, at: at(s), latitude: 40.4 + s / 1e4, longitude: -3.7, speedKmh: 30 + s / 10 });
    await f.addIncident({ id: 'inc-1', ...A1, occurredAt: at(0), frameId: 'frame0' });
  });
  afterAll(() => f.platform.close());

  it('makes a signed pack with the frames from 30 s before to 30 s after, the track, telemetry and verdicts', async () => {
    const res = await f.call(f.tokens.ownerA, 'POST', '/api/v1/incidents/inc-1/evidence-packs');
    expect(res.status).toBe(201);
    pack = await res.json();
    expect(pack).toMatchObject({ frames: 3, expires_at: '2026-08-30T08:00:00.000Z' });
    const file = await f.call(f.tokens.ownerA, 'GET', pack.file_url);
    expect(file.headers.get('content-type')).toBe('application/zip');
    bytes = new Uint8Array(await file.arrayBuffer());
    const keys = (await (await f.app.request('/api/v1/evidence-packs/public-key')).json()).keys;
    serverKeyId = keys[0].key_id;
    const verdict = await verifyPack(bytes, [serverKeyId]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(Object.keys(verdict.files).filter((p) => p.startsWith('frames/'))).toHaveLength(3);
    const read = (path: string) => JSON.parse(new TextDecoder().decode(verdict.files[path]));
    expect(read('verdicts.json').frames.map((fr: { offset_s: number }) => fr.offset_s)).toEqual([-25, 0, 20]);
    expect(read('verdicts.json').frames[1].analysis).toMatchObject({ incident_detected: true, type: 'PHONE_USAGE', confidence: 0.93 });
    expect(read('incident.json').vehicle.plate).toBe('A-001');
    expect(read('track.geojson').features[0].geometry.coordinates).toHaveLength(25); // ±120 s of fixes every 10 s
    expect(new TextDecoder().decode(verdict.files['telemetry.csv']).split('\r\n')[0]).toBe('device_time,latitude,longitude,speed_kmh,heading,accuracy_m,altitude_m');
    expect(verdict.manifest!.signature.key_id).toBe(serverKeyId);
    const list = await (await f.call(f.tokens.viewerA, 'GET', '/api/v1/incidents/inc-1/evidence-packs')).json();
    expect(list.data.map((p: { id: string }) => p.id)).toEqual([pack.id]);
  });

  it('catches a changed frame, a changed manifest, an added file and a pack signed by another key', async () => {
    const files = unzipSync(bytes);
    const rezip = (changed: Record<string, Uint8Array>) => zipSync(Object.fromEntries(Object.entries({ ...files, ...changed }).map(([k, v]) => [k, [v, { level: 0 }]])) as never);
    const frame = Object.keys(files).find((p) => p.startsWith('frames/'))!;
    const flipped = files[frame].slice();
    flipped[2] ^= 1;
    expect((await verifyPack(rezip({ [frame]: flipped }), [serverKeyId])).problems).toEqual([`${frame} was changed (its SHA-256 does not match the manifest)`]);

    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    manifest.files.find((x: { path: string }) => x.path === frame).sha256 = '0'.repeat(64);
    const forged = await verifyPack(rezip({ 'manifest.json': strToU8(JSON.stringify(manifest, null, 2)), [frame]: flipped }), [serverKeyId]);
    expect(forged.ok).toBe(false);
    expect(forged.problems[0]).toContain('the signature does not match manifest.json');

    expect((await verifyPack(rezip({ 'frames/999_extra.jpg': new Uint8Array([1]) }), [serverKeyId])).problems).toEqual(['frames/999_extra.jpg is not in the manifest (added after signing)']);

    // A forger's own key signs a pack that verifies on its own, but is not this server's.
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const publicKey: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
    const signer = { keyId: await packKeyId(publicKey), publicKey, sign: async (data: Uint8Array) => toBase64Url(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data as Uint8Array<ArrayBuffer>))) };
    const other = await assemblePack({ pack_id: 'p', incident_id: 'inc-1', fleet_id: f.fleetA, created_at: new Date().toISOString(), window: { from: '', to: '' } }, [{ path: 'incident.json', bytes: strToU8('{}'), contentType: 'application/json' }], signer);
    expect((await verifyPack(other.bytes)).ok).toBe(true);
    expect((await verifyPack(other.bytes, [serverKeyId])).problems).toEqual([`signed by key ${signer.keyId}, which is not a trusted key of this server`]);
    expect((await verifyPack(new Uint8Array([1, 2, 3]))).problems[0]).toMatch(/^not a readable ZIP file/);
  });

  it('keeps packs to their fleet and makes none for viewers', async () => {
    expect((await f.call(f.tokens.viewerA, 'POST', '/api/v1/incidents/inc-1/evidence-packs')).status).toBe(403);
    expect((await f.call(f.tokens.ownerB, 'GET', `/api/v1/evidence-packs/${pack.id}`)).status).toBe(404);
    expect((await f.call(f.tokens.ownerB, 'GET', pack.file_url)).status).toBe(404);
    expect((await f.call(null, 'GET', pack.file_url)).status).toBe(401);
  });
});
