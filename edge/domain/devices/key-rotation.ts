/**
 * Device keys renew themselves through the device protocol (docs/integrate/device-protocol.md): once the current
 * key expires within ROTATE_WITHIN_DAYS, every 2xx answer to a request made with it carries the next key
 * (`X-Device-Next-Key`, `X-Device-Next-Key-Expires-At`). The next key is made once and repeated until the device
 * first uses it; that first use makes it the current key and ends the old one at once.
 *
 * The next key is never stored: it is derived, HMAC-SHA-256 keyed with the current key, from a random salt kept
 * with the device (only the next key's hash is stored, for lookup). So the server can repeat it on every answer,
 * while neither a copy of the database (no current key) nor an old key alone (no salt) gives it away.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { toBase64Url } from '../bytes.ts';
import { DEVICE_KEY_LIFETIME_DAYS, DEVICE_KEY_PREFIX, hashDeviceKey } from '../device-keys.ts';

export const ROTATE_WITHIN_DAYS = 14;
export const NEXT_KEY_HEADER = 'X-Device-Next-Key';
export const NEXT_KEY_EXPIRES_HEADER = 'X-Device-Next-Key-Expires-At';

export interface NextKey {
  key: string;
  expiresAt: string;
}

async function deriveNextKey(currentKey: string, salt: string, deviceId: string): Promise<string> {
  const encoder = new TextEncoder();
  const hmac = await crypto.subtle.importKey('raw', encoder.encode(currentKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const bytes = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, encoder.encode(`taxiwatch-next-device-key:${deviceId}:${salt}`)));
  return `${DEVICE_KEY_PREFIX}${toBase64Url(bytes)}`;
}

/** Whether a key expiring at `expiresAt` is due for renewal at `now`. */
export const dueForRotation = (expiresAt: number, now: number) => expiresAt - now <= ROTATE_WITHIN_DAYS * 86_400_000;

/**
 * The next key for a device presenting its current key, making it on first call (one salt wins if two requests
 * race: the update only applies while there is none, and both then read the same salt back).
 */
export async function nextKeyFor(db: Kysely<Database>, deviceId: string, presentedKey: string, now: number): Promise<NextKey | null> {
  const read = () => db.selectFrom('devices').select(['status', 'next_key_salt', 'next_key_expires_at']).where('id', '=', deviceId).executeTakeFirst();
  let device = await read();
  if (!device || device.status !== 'active') return null;
  if (!device.next_key_salt) {
    const salt = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const key = await deriveNextKey(presentedKey, salt, deviceId);
    await db
      .updateTable('devices')
      .set({ next_key_salt: salt, next_key_hash: await hashDeviceKey(key), next_key_prefix: key.slice(0, 12), next_key_expires_at: new Date(now + DEVICE_KEY_LIFETIME_DAYS * 86_400_000) })
      .where('id', '=', deviceId)
      .where('next_key_salt', 'is', null)
      .execute();
    device = await read();
    if (!device?.next_key_salt || !device.next_key_expires_at) return null;
  }
  return { key: await deriveNextKey(presentedKey, device.next_key_salt, deviceId), expiresAt: device.next_key_expires_at!.toISOString() };
}

/**
 * The device's first request with its next key: that key becomes the current one and the old key (and any rotated-out
 * key still in its grace period) stops at once. Returns the hashes that no longer work, or null when no device has
 * this next key (another request promoted it first, or it was replaced by hand).
 */
export async function promoteNextKey(db: Kysely<Database>, nextKeyHash: string): Promise<{ deviceId: string; retiredHashes: Array<string | null> } | null> {
  return db.transaction().execute(async (tx) => {
    const device = await tx.selectFrom('devices').select(['id', 'key_hash', 'previous_key_hash']).where('next_key_hash', '=', nextKeyHash).where('status', '=', 'active').forUpdate().executeTakeFirst();
    if (!device) return null;
    await tx
      .updateTable('devices')
      .set((eb) => ({
        key_hash: eb.ref('next_key_hash') as never,
        key_prefix: eb.ref('next_key_prefix') as never,
        key_expires_at: eb.ref('next_key_expires_at') as never,
        previous_key_hash: null,
        previous_key_valid_until: null,
        next_key_hash: null,
        next_key_prefix: null,
        next_key_salt: null,
        next_key_expires_at: null,
      }))
      .where('id', '=', device.id)
      .execute();
    return { deviceId: device.id, retiredHashes: [device.key_hash, device.previous_key_hash] };
  });
}
