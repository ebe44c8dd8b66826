/**
 * Integrator API keys: `twk_` + 32 random bytes, shown once, stored as SHA-256, bound to one fleet and a set of
 * scopes. A key acts like a fleet owner limited to its scopes; it never manages users or other keys.
 */
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { DomainDeps } from '../deps.ts';
import { sha256Hex } from '../sha256.ts';
import { parseInput } from '../validation.ts';
import type { Principal } from './access-tokens.ts';

export const RESOURCES = ['vehicles', 'drivers', 'devices', 'fixes', 'trips', 'frames', 'incidents', 'alerts', 'webhooks'] as const;
export const SCOPES = RESOURCES.flatMap((r) => [`read:${r}`, `write:${r}`]);
export const API_KEY_PREFIX = 'twk_';

const createInput = z.object({
  fleetId: z.string().min(1),
  name: z.string().trim().min(1).max(100).default('API key'),
  scopes: z.array(z.enum(SCOPES as [string, ...string[]])).min(1, 'give the key at least one scope'),
  createdBy: z.string().nullable().default(null),
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
    })
    .returning(['id', 'fleet_id', 'name', 'key_prefix', 'scopes', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...row, created_at: row.created_at.toISOString(), key };
}

/** The principal behind a presented key; 401 for an unknown or revoked key. Records last use at most once a minute. */
export async function authenticateApiKey(deps: DomainDeps, key: string): Promise<Principal> {
  const row = await deps.db
    .selectFrom('api_keys')
    .select(['id', 'fleet_id', 'scopes', 'revoked_at', 'last_used_at'])
    .where('key_hash', '=', await sha256Hex(key))
    .executeTakeFirst();
  if (!row || row.revoked_at) throw new AppError('unauthorized', 'API key is invalid or revoked', { details: { reason: 'api_key_invalid' } });
  const now = deps.clock.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() > 60_000) {
    await deps.db.updateTable('api_keys').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
  }
  return { userId: null, role: 'owner', fleetId: row.fleet_id, apiKey: { id: row.id, scopes: row.scopes as string[] } };
}
