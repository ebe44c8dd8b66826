/**
 * Links that open an incident's evidence without logging in. The token is 256 random bits shown once; only its
 * SHA-256 is stored, so it can be looked up, expired and revoked, and a copy of the database cannot be used to share.
 */
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { sha256Hex } from '../sha256.ts';

export const SHARE_PATH = '/share/incidents/';
export const SHARE_MINUTES = { min: 5, max: 10080, default: 1440 } as const;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function createShareLink(
  deps: DomainDeps,
  input: { incidentId: string; fleetId: string; createdBy: string | null; expiresInMinutes: number; baseUrl: string },
): Promise<{ id: string; url: string; token: string; expires_at: string }> {
  const token = randomToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now + input.expiresInMinutes * 60_000);
  const id = deps.ids.next();
  await deps.db
    .insertInto('incident_share_links')
    .values({ id, fleet_id: input.fleetId, incident_id: input.incidentId, token_hash: await sha256Hex(token), created_by: input.createdBy, created_at: new Date(now), expires_at: expiresAt, revoked_at: null })
    .execute();
  return { id, url: `${input.baseUrl.replace(/\/+$/, '')}${SHARE_PATH}${token}`, token, expires_at: expiresAt.toISOString() };
}

/**
 * The incident a token opens, or a 404 that says why (unknown, expired or revoked) — every case is a 404 so an
 * altered token and a withdrawn one look alike to anyone probing, while the reason helps the person who was sent it.
 */
export async function resolveShareLink(deps: Pick<DomainDeps, 'db' | 'clock'>, token: string): Promise<{ incidentId: string; fleetId: string; expiresAt: Date }> {
  const gone = (reason: 'unknown' | 'expired' | 'revoked', message: string) => new AppError('not_found', message, { details: { reason } });
  if (!TOKEN_PATTERN.test(token)) throw gone('unknown', 'this share link is not valid');
  const tokenHash = await sha256Hex(token);
  const now = new Date(deps.clock.now());
  // The usual case in one round trip: a live link is counted as viewed and answers with its incident.
  const live = await deps.db
    .updateTable('incident_share_links')
    .set((eb) => ({ views: eb('views', '+', 1), last_viewed_at: now }))
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['incident_id', 'fleet_id', 'expires_at'])
    .executeTakeFirst();
  if (live) return { incidentId: live.incident_id, fleetId: live.fleet_id, expiresAt: live.expires_at };
  const link = await deps.db.selectFrom('incident_share_links').select(['revoked_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!link) throw gone('unknown', 'this share link is not valid');
  if (link.revoked_at) throw gone('revoked', 'this share link was withdrawn; ask the fleet for a new one');
  throw gone('expired', 'this share link has expired; ask the fleet for a new one');
}

/** Withdraws every live link to an incident; returns how many were withdrawn (0 when none was live). */
export async function revokeShareLinks(deps: Pick<DomainDeps, 'db' | 'clock'>, incidentId: string): Promise<number> {
  const result = await deps.db
    .updateTable('incident_share_links')
    .set({ revoked_at: new Date(deps.clock.now()) })
    .where('incident_id', '=', incidentId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date(deps.clock.now()))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ShareLinkSummary {
  id: string;
  created_at: string;
  created_by: string | null;
  expires_at: string;
  revoked_at: string | null;
  state: 'live' | 'expired' | 'revoked';
  views: number;
  last_viewed_at: string | null;
}

/** An incident's links, newest first, without their tokens (which were never stored). */
export async function listShareLinks(deps: Pick<DomainDeps, 'db' | 'clock'>, incidentId: string): Promise<ShareLinkSummary[]> {
  const rows = await deps.db
    .selectFrom('incident_share_links')
    .select(['id', 'created_at', 'created_by', 'expires_at', 'revoked_at', 'views', 'last_viewed_at'])
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const now = deps.clock.now();
  return rows.map((r) => ({
    id: r.id,
    created_at: r.created_at.toISOString(),
    created_by: r.created_by,
    expires_at: r.expires_at.toISOString(),
    revoked_at: r.revoked_at?.toISOString() ?? null,
    state: r.revoked_at ? 'revoked' : r.expires_at.getTime() <= now ? 'expired' : 'live',
    views: r.views,
    last_viewed_at: r.last_viewed_at?.toISOString() ?? null,
  }));
}

/** Withdraws one link of the incident; withdrawing it again changes nothing. Null when the incident has no such link. */
export async function revokeShareLink(deps: Pick<DomainDeps, 'db' | 'clock'>, incidentId: string, linkId: string): Promise<ShareLinkSummary | null> {
  await deps.db
    .updateTable('incident_share_links')
    .set({ revoked_at: new Date(deps.clock.now()) })
    .where('id', '=', linkId)
    .where('incident_id', '=', incidentId)
    .where('revoked_at', 'is', null)
    .execute();
  return (await listShareLinks(deps, incidentId)).find((l) => l.id === linkId) ?? null;
}
