/**
 * The server's evidence-pack signing key: ECDSA P-256 (WebCrypto on every runtime), made on first use and kept in
 * the settings table, so every instance signs with the same key and it survives restarts. Its public half is
 * published (GET /api/v1/evidence-packs/public-key) and travels in each pack's manifest with its key id, so anyone
 * can check a pack; `verify-pack` also checks that the key is this server's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { toBase64Url } from '../bytes.ts';
import { packKeyId, SIGNING_ALGORITHM, type PublicJwk } from './pack-format.ts';

export const PACK_SIGNING_SETTING = 'evidence_pack_signing_key';
const { generate: ALGORITHM, sign: SIGN } = SIGNING_ALGORITHM;

export interface PackSigner {
  keyId: string;
  publicKey: PublicJwk;
  sign(data: Uint8Array): Promise<string>;
}

const publicPart = (jwk: JsonWebKey): PublicJwk => ({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! });

/** The stored private key, created (once, whichever instance is first) when there is none. */
async function storedPrivateJwk(db: Kysely<Database>): Promise<JsonWebKey> {
  const existing = await db.selectFrom('settings').select('value').where('key', '=', PACK_SIGNING_SETTING).executeTakeFirst();
  if (existing) return JSON.parse(existing.value) as JsonWebKey;
  const pair = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  await db.insertInto('settings').values({ key: PACK_SIGNING_SETTING, value: JSON.stringify(jwk) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', PACK_SIGNING_SETTING).executeTakeFirstOrThrow();
  return JSON.parse(row.value) as JsonWebKey;
}

export async function packSigner(db: Kysely<Database>): Promise<PackSigner> {
  const jwk = await storedPrivateJwk(db);
  const key = await crypto.subtle.importKey('jwk', jwk, ALGORITHM, false, ['sign']);
  const publicKey = publicPart(jwk);
  return {
    keyId: await packKeyId(publicKey),
    publicKey,
    sign: async (data) => toBase64Url(new Uint8Array(await crypto.subtle.sign(SIGN, key, data as Uint8Array<ArrayBuffer>))),
  };
}

/** This server's public key, or null when it has never signed a pack. */
export async function serverPackKey(db: Kysely<Database>): Promise<{ keyId: string; publicKey: PublicJwk } | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', PACK_SIGNING_SETTING).executeTakeFirst();
  if (!row) return null;
  const publicKey = publicPart(JSON.parse(row.value) as JsonWebKey);
  return { keyId: await packKeyId(publicKey), publicKey };
}
