/**
 * The server's VAPID key pair (RFC 8292): configured (VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY), or generated once on
 * first use and kept in the settings table like the other server secrets (signing-secret.ts), so every instance on
 * the same database signs with the same key and browsers' subscriptions survive restarts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromBase64Url, toBase64Url } from '../bytes.ts';

export interface VapidKeys {
  /** Uncompressed P-256 point (65 bytes), base64url: what browsers pass as applicationServerKey. */
  publicKey: string;
  /** The private scalar d (32 bytes), base64url. */
  privateKey: string;
  /** mailto: or https: contact for push services. */
  subject: string;
}

const SETTING = 'vapid_keys';

export async function resolveVapidKeys(db: Kysely<Database>, configured: { publicKey?: string; privateKey?: string; subject: string }): Promise<VapidKeys> {
  if (configured.publicKey && configured.privateKey) return { publicKey: configured.publicKey, privateKey: configured.privateKey, subject: configured.subject };
  const generated = JSON.stringify(await generateVapidKeys());
  // Insert-if-absent then read back: two instances starting together end up with the same pair.
  await db.insertInto('settings').values({ key: SETTING, value: generated }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
  const stored = JSON.parse(row.value) as { publicKey: string; privateKey: string };
  return { ...stored, subject: configured.subject };
}

export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { publicKey: toBase64Url(raw), privateKey: jwk.d! };
}

/** The JWK of the key pair, for signing (jose / Web Crypto). */
export function vapidPrivateJwk(keys: VapidKeys): JsonWebKey {
  const point = fromBase64Url(keys.publicKey);
  if (!point || point.length !== 65 || point[0] !== 4) throw new Error('VAPID public key must be an uncompressed P-256 point (65 bytes, base64url)');
  return { kty: 'EC', crv: 'P-256', x: toBase64Url(point.slice(1, 33)), y: toBase64Url(point.slice(33, 65)), d: keys.privateKey };
}
