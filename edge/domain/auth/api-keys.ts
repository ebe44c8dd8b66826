/**
 * Integrator API keys: `twk_` + 32 random bytes, shown once, stored as SHA-256, bound to one fleet and a set of
 * scopes, expiring after 90 days unless created otherwise. A key acts like a fleet owner limited to its scopes; it
 * never manages users or other keys. Rotating one gives a new key while the old one works for a grace period.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { sha256Hex } from '../sha256.ts';
import { parseInput } from '../validation.ts';
import type { Principal } from './access-tokens.ts';

export const RESOURCES = ['vehicles', 'drivers', 'devices', 'fixes', 'trips', 'frames', 'incidents', 'alerts', 'webhooks', 'reports'] as const;
export const SCOPES = RESOURCES.flatMap((r) => [`read:${r}`, `write:${r}`]);
export const API_KEY_PREFIX = 'twk_';
/** New keys expire after this many days unless the creator says otherwise (null: never). */
export const API_KEY_DEFAULT_DAYS = 90;
export const API_KEY_ROTATION_GRACE_HOURS = 24;

/** Lets a key ask the fleet assistant (POST /api/v1/chat/message and its conversations), which reads the fleet through its tools. */
export const CHAT_SCOPE = 'chat';

const createInput = z.object({
  fleetId: z.string().min(1),
  name: z.string().trim().min(1).max(100).default('API key'),
  scopes: z.array(z.enum([...SCOPES, CHAT_SCOPE] as unknown as [string, ...string[]])).min(1, 'give the key at least one scope'),
  createdBy: z.string().nullable().default(null),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(API_KEY_DEFAULT_DAYS),
});

export async function createApiKey(deps: DomainDeps, input: z.input<typeof createInput>) {
  const data = parseInput(createInput, input);
  const fleet = await deps.db.selectFrom('fleets').select('id').where('id', '=', data.fleetId).executeTakeFirst();
  if (!fleet) throw new AppError('not_found', `fleet ${data.fleetId} does not exist`);
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = `${API_KEY_PREFIX}${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  const row = await deps.db
    .insertInto('api_keys')
    .values({
      id: deps.ids.next(),
      fleet_id: data.fleetId,
      name: data.name,
      key_prefix: key.slice(0, 12),
      key_hash: await sha256Hex(key),
      scopes: JSON.stringify([...new Set(data.scopes)].sort()),
      created_by: data.createdBy,
      created_at: new Date(deps.clock.now()),
      expires_at: data.expiresInDays === null ? null : new Date(deps.clock.now() + data.expiresInDays * 86_400_000),
    })
    .returning(['id', 'fleet_id', 'name', 'key_prefix', 'scopes', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { ...row, created_at: row.created_at.toISOString(), expires_at: row.expires_at?.toISOString() ?? null, key };
}

/**
 * Replaces a key with a new one of the same name and scopes (and `expiresInDays`, by default 90 days from now); the
 * old key keeps working for `graceHours` (or until it would have expired anyway), so an integrator can deploy the new
 * one without a gap. A revoked key, or one already replaced, cannot be rotated (409).
 */
export async function rotateApiKey(deps: DomainDeps, input: { id: string; graceHours: number; expiresInDays?: number | null; rotatedBy: string | null }) {
  return deps.db.transaction().execute(async (tx) => {
    const old = await tx.selectFrom('api_keys').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!old) throw new AppError('not_found', `API key ${input.id} not found`);
    if (old.revoked_at) throw new AppError('conflict', 'a revoked API key cannot be rotated; create a new one');
    if (old.replaced_by) throw new AppError('conflict', `this API key was already rotated (replaced by ${old.replaced_by})`, { details: { replaced_by: old.replaced_by } });
    const now = deps.clock.now();
    if (old.expires_at && old.expires_at.getTime() <= now) throw new AppError('conflict', 'this API key has expired; create a new one');
    const fresh = await createApiKey({ ...deps, db: tx }, { fleetId: old.fleet_id, name: old.name, scopes: old.scopes as string[], createdBy: input.rotatedBy, expiresInDays: input.expiresInDays });
    const graceEnd = now + input.graceHours * 3_600_000;
    const oldExpires = new Date(Math.min(graceEnd, old.expires_at?.getTime() ?? Infinity));
    await tx.updateTable('api_keys').set({ replaced_by: fresh.id, expires_at: oldExpires }).where('id', '=', old.id).execute();
    return { ...fresh, replaces: old.id, replaced_key_expires_at: oldExpires.toISOString() };
  });
}

/** The principal behind a presented key; 401 for an unknown or revoked key. Records last use at most once a minute. */
export async function authenticateApiKey(deps: DomainDeps, key: string): Promise<Principal> {
  const row = await deps.db
    .selectFrom('api_keys')
    .select(['id', 'fleet_id', 'scopes', 'revoked_at', 'last_used_at', 'expires_at'])
    .where('key_hash', '=', await sha256Hex(key))
    .executeTakeFirst();
  if (!row || row.revoked_at) throw new AppError('unauthorized', 'API key is invalid or revoked', { details: { reason: 'api_key_invalid' } });
  const now = deps.clock.now();
  if (row.expires_at && row.expires_at.getTime() <= now) throw new AppError('unauthorized', 'API key has expired; rotate it before it expires, or create a new one', { details: { reason: 'api_key_expired' } });
  if (!row.last_used_at || now - row.last_used_at.getTime() > 60_000) {
    await deps.db.updateTable('api_keys').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
  }
  return { userId: null, role: 'owner', fleetId: row.fleet_id, apiKey: { id: row.id, scopes: row.scopes as string[] } };
}
