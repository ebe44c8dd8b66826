/**
 * Evidence packs: `POST /api/v1/incidents/{id}/evidence-packs` makes one (frames −30 s..+30 s, track, telemetry,
 * verdicts, a signed manifest), `GET …/evidence-packs` lists an incident's, `GET /api/v1/evidence-packs/{id}` and
 * `…/file` give one and its bytes, and `GET /api/v1/evidence-packs/public-key` (no login) is the key packs are
 * signed with, for anyone who receives a pack to check it.
 */
import type { Hono } from 'hono';
import type { Selectable } from 'kysely';
import type { AppEnv } from '../app-env.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { audit } from '../domain/auth/audit.ts';
import { buildEvidencePack } from '../domain/evidence/build-pack.ts';
import { serverPackKey } from '../domain/evidence/pack-signing.ts';
import { retentionInForce } from '../domain/retention/retention-settings.ts';
import { authorize, authorizeEvidence, notFound, scopedTo } from '../domain/tenancy.ts';
import type { EvidencePacksTable } from '../db/schema.ts';
import { protectResource } from '../middleware/authenticate.ts';
import { clientIp } from '../middleware/client-ip.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';

export const PACK_PUBLIC_KEY_PATH = '/api/v1/evidence-packs/public-key';
const URL_TTL_SECONDS = 3600;

export function registerEvidencePacks(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };

  app.get(PACK_PUBLIC_KEY_PATH, async (c) => {
    const key = await serverPackKey(db);
    if (!key) return c.json({ keys: [] });
    return c.json({ keys: [{ key_id: key.keyId, algorithm: 'ECDSA-P256-SHA256', ...key.publicKey }] });
  });
  protectResource(app, platform, '/api/v1/evidence-packs', { except: [PACK_PUBLIC_KEY_PATH] });

  const present = async (rows: Selectable<EvidencePacksTable>[]) => {
    const fleets = rows.length === 0 ? [] : await db.selectFrom('fleets').select(['id', 'retention']).where('id', 'in', [...new Set(rows.map((r) => r.fleet_id))]).execute();
    const keep = new Map(fleets.map((f) => [f.id, retentionInForce(f, platform.config).evidence_packs]));
    return Promise.all(
      rows.map(async (r) => {
        const days = keep.get(r.fleet_id) ?? 0;
        return {
          id: r.id,
          incident_id: r.incident_id,
          fleet_id: r.fleet_id,
          frames: r.frames,
          size_bytes: r.size_bytes,
          sha256: r.sha256,
          created_by: r.created_by,
          created_at: r.created_at.toISOString(),
          expires_at: days === 0 ? null : new Date(r.created_at.getTime() + days * 86_400_000).toISOString(),
          file_url: `/api/v1/evidence-packs/${r.id}/file`,
          download_url: await platform.blobs.signedUrl(r.blob_key, { expiresInSeconds: URL_TTL_SECONDS }),
        };
      }),
    );
  };
  const findIncident = async (principal: Principal, id: string) => {
    const row = await scopedTo(db, principal, 'incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('incident', id);
    return row;
  };
  const findPack = async (principal: Principal, id: string) => {
    const row = await scopedTo(db, principal, 'evidence_packs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('evidence pack', id);
    return row;
  };

  app.post('/api/v1/incidents/:id/evidence-packs', async (c) => {
    const incident = await findIncident(c.var.principal, c.req.param('id'));
    authorizeEvidence(c.var.principal, 'write');
    const { row } = await buildEvidencePack(platform, incident, c.var.principal.userId);
    await audit(deps, { event: 'evidence_pack_created', userId: c.var.principal.userId, fleetId: incident.fleet_id, ip: clientIp(c), details: { incidentId: incident.id, packId: row.id, sha256: row.sha256 } });
    return c.json((await present([row]))[0], 201);
  });

  app.get('/api/v1/incidents/:id/evidence-packs', async (c) => {
    const incident = await findIncident(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'incidents');
    const rows = await db.selectFrom('evidence_packs').selectAll().where('incident_id', '=', incident.id).where('fleet_id', '=', incident.fleet_id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return c.json({ data: await present(rows) });
  });

  app.get('/api/v1/evidence-packs/:id', async (c) => {
    const pack = await findPack(c.var.principal, c.req.param('id'));
    authorize(c.var.principal, 'read', 'incidents');
    return c.json((await present([pack]))[0]);
  });

  // The bytes from our own origin: the browser's player reads them (a presigned S3 link would need CORS).
  app.get('/api/v1/evidence-packs/:id/file', async (c) => {
    const pack = await findPack(c.var.principal, c.req.param('id'));
    authorizeEvidence(c.var.principal, 'read');
    const blob = await platform.blobs.get(pack.blob_key);
    if (!blob) throw notFound('evidence pack file', pack.id);
    return c.body(blob.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/zip',
      'Content-Length': String(blob.size),
      'Content-Disposition': `attachment; filename="evidence-${pack.incident_id}-${pack.id}.zip"`,
      'Cache-Control': 'private, no-store',
      'X-Content-SHA256': pack.sha256,
    });
  });
}

const packShape = 'id, incident_id, frames, size_bytes, sha256 (of the file), created_at, expires_at, file_url, download_url (signed, 1 h)';

export const evidencePackDocs: RouteDoc[] = [
  { method: 'post', path: '/api/v1/incidents/:id/evidence-packs', summary: `Make an evidence pack: frames −30 s..+30 s, GPS track, telemetry, verdicts and a signed manifest in one ZIP (${packShape})`, tag: 'Incidents', auth: 'bearer', responses: { 201: 'The pack', 403: 'Read-only caller', 404: 'Not found' } },
  { method: 'get', path: '/api/v1/incidents/:id/evidence-packs', summary: "An incident's evidence packs, newest first", tag: 'Incidents', auth: 'bearer', responses: { 200: 'The packs', 404: 'Not found' } },
  { method: 'get', path: '/api/v1/evidence-packs/:id', summary: 'An evidence pack', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The pack', 404: 'Not found' } },
  { method: 'get', path: '/api/v1/evidence-packs/:id/file', summary: 'The pack file (application/zip)', tag: 'Incidents', auth: 'bearer', responses: { 200: 'The ZIP', 404: 'Not found' } },
  { method: 'get', path: PACK_PUBLIC_KEY_PATH, summary: 'The public key evidence packs are signed with (JWK, ECDSA P-256), to check a pack anywhere', tag: 'Incidents', auth: 'none', responses: { 200: '{ keys: [{ key_id, algorithm, kty, crv, x, y }] }' } },
];
