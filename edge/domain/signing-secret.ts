/**
 * The secret behind signed blob URLs: BLOB_SIGNING_SECRET when configured, otherwise one generated on first
 * start and kept in the settings table, so links stay valid across restarts and across instances sharing a db.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const SETTING = 'blob_signing_secret';

export async function resolveSigningSecret(db: Kysely<Database>, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const generated = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  // Insert-if-absent then read back: two instances starting together end up with the same secret.
  await db.insertInto('settings').values({ key: SETTING, value: generated }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
  return row.value;
}
