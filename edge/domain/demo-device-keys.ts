/**
 * The demo fleet's device keys are derived, not drawn: HMAC-SHA-256 of the device id under a secret generated on
 * first start and kept in the settings table. The database still holds only their hashes, yet the demo simulator
 * in the same server can drive the taxis' own cameras after a restart, with no extra devices made for it. A key
 * an owner renews (or a device revoked) no longer matches, and the simulator leaves that device alone.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DEVICE_KEY_PREFIX, hashDeviceKey } from './device-keys.ts';
import { resolveStoredSecret } from './signing-secret.ts';

const SECRET_NAME = 'demo-device-key-secret';
const encoder = new TextEncoder();

export async function demoDeviceKey(db: Kysely<Database>, deviceId: string): Promise<string> {
  const secret = await resolveStoredSecret(db, SECRET_NAME, undefined);
  const hmacKey = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, encoder.encode(`demo-device:${deviceId}`)));
  return `${DEVICE_KEY_PREFIX}${btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Gives a just-created device its derived key (replacing the random one) and returns it. */
export async function useDemoDeviceKey(db: Kysely<Database>, deviceId: string): Promise<string> {
  const key = await demoDeviceKey(db, deviceId);
  await db.updateTable('devices').set({ key_hash: await hashDeviceKey(key), key_prefix: key.slice(0, 12) }).where('id', '=', deviceId).execute();
  return key;
}

/** The derived key when it is still the device's key in force; null once renewed, revoked or never derived. */
export async function currentDemoDeviceKey(db: Kysely<Database>, device: { id: string; key_hash: string; status: string }): Promise<string | null> {
  if (device.status !== 'active') return null;
  const key = await demoDeviceKey(db, device.id);
  return (await hashDeviceKey(key)) === device.key_hash ? key : null;
}
