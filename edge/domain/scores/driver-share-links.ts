/**
 * Read-only links a driver opens on their phone to see their own score (issue 21's driver view). The token is 256
 * random bits shown once; only its SHA-256 is stored. A link works only while it is unexpired, unrevoked and its fleet
 * still lets drivers see their own score — turning that setting off stops every link at once.
 */
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { sha256Hex } from '../sha256.ts';

export const DRIVER_SHARE_PATH = '/share/drivers/';
export const DRIVER_SHARE_DAYS = { min: 1, max: 90, default: 30 } as const;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function createDriverShareLink(
  deps: DomainDeps,
  input: { fleetId: string; driverId: string; createdBy: string | null; expiresInDays: number; baseUrl: string },
): Promise<{ id: string; url: string; expires_at: string }> {
  const token = randomToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now + input.expiresInDays * 86_400_000);
  const id = deps.ids.next();
  await deps.db
    .insertInto('driver_share_links')
    .values({
      id,
      fleet_id: input.fleetId,
      driver_id: input.driverId,
      token_hash: await sha256Hex(token),
      created_by: input.createdBy,
      created_at: new Date(now),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return {
    id,
    url: `${input.baseUrl.replace(/\/+$/, '')}${DRIVER_SHARE_PATH}${token}`,
    expires_at: expiresAt.toISOString(),
  };
}

export type GoneReason = 'unknown' | 'expired' | 'revoked' | 'disabled';

/**
 * The driver a token opens, or a 404 whatever the cause (unknown, revoked, expired, or the fleet turned the driver
 * view off) so an altered token and a withdrawn one look alike to a prober; details.reason says which, for the
 * driver who was sent it — as incident share links do.
 */
export async function resolveDriverShareLink(
  deps: Pick<DomainDeps, 'db' | 'clock'>,
  token: string,
): Promise<{ driverId: string; fleetId: string; expiresAt: Date }> {
  const gone = (reason: GoneReason, message: string) => new AppError('not_found', message, { details: { reason } });
  if (!TOKEN_PATTERN.test(token)) throw gone('unknown', 'this link is not valid');
  const link = await deps.db
    .selectFrom('driver_share_links')
    .innerJoin('fleets', 'fleets.id', 'driver_share_links.fleet_id')
    .select([
      'driver_share_links.driver_id',
      'driver_share_links.fleet_id',
      'driver_share_links.expires_at',
      'driver_share_links.revoked_at',
      'fleets.drivers_see_own_score',
    ])
    .where('driver_share_links.token_hash', '=', await sha256Hex(token))
    .executeTakeFirst();
  if (!link) throw gone('unknown', 'this link is not valid');
  if (link.revoked_at) throw gone('revoked', 'this link was withdrawn; ask the fleet for a new one');
  if (link.expires_at.getTime() <= deps.clock.now())
    throw gone('expired', 'this link has expired; ask the fleet for a new one');
  if (!link.drivers_see_own_score) throw gone('disabled', 'the fleet no longer shows drivers their score');
  return { driverId: link.driver_id, fleetId: link.fleet_id, expiresAt: link.expires_at };
}

/** Withdraws every live link of a driver; returns how many (0 when none was live, so a repeated DELETE is harmless). */
export async function revokeDriverShareLinks(
  deps: Pick<DomainDeps, 'db' | 'clock'>,
  driverId: string,
): Promise<number> {
  const now = new Date(deps.clock.now());
  const result = await deps.db
    .updateTable('driver_share_links')
    .set({ revoked_at: now })
    .where('driver_id', '=', driverId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
