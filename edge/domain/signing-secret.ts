/**
 * Server secrets (blob link signing, access-token signing): the configured value when there is one, otherwise one
 * generated on first start and kept in the settings table, so it survives restarts and is shared by every
 * instance on the same database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export async function resolveStoredSecret(db: Kysely<Database>, name: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const generated = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  // Insert-if-absent then read back: two instances starting together end up with the same secret.
  await db.insertInto('settings').values({ key: name, value: generated }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
