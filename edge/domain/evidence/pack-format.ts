/**
 * The evidence pack as a file: a ZIP holding the evidence (frames/, track.geojson, telemetry.csv, verdicts.json,
 * incident.json), `manifest.json` listing every file with its size and SHA-256, and `manifest.sig`, the server's
 * ECDSA P-256 signature of the manifest's exact bytes (base64url). Changing, adding or removing any file, or the
 * manifest, is detected. Web APIs and fflate only: the admin CLI and the browser's player check packs with this.
 */
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { fromBase64Url, sha256HexOfBytes } from '../bytes.ts';
import { sha256Hex } from '../sha256.ts';

export const PACK_FORMAT = 'taxiwatch-evidence-pack/1';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const SIGNING_ALGORITHM = { name: 'ECDSA-P256-SHA256', generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } } as const;

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

export interface PackFile {
  path: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface PackManifest {
  format: typeof PACK_FORMAT;
  pack_id: string;
  incident_id: string;
  fleet_id: string;
  created_at: string;
  window: { from: string; to: string };
  files: Array<{ path: string; size: number; sha256: string; content_type: string }>;
  signature: { algorithm: string; key_id: string; public_key: PublicJwk };
}

/** A short, stable name for a public key: the first 16 hex digits of the SHA-256 of its coordinates. */
export async function packKeyId(key: PublicJwk): Promise<string> {
  return (await sha256Hex(`${key.crv}:${key.x}:${key.y}`)).slice(0, 16);
}

/** Writes the pack; `sign` signs the manifest's bytes. Times in the ZIP are the pack's own, so a pack is reproducible. */
export async function assemblePack(
  meta: Omit<PackManifest, 'format' | 'files' | 'signature'>,
  files: PackFile[],
  signer: { keyId: string; publicKey: PublicJwk; sign(data: Uint8Array): Promise<string> },
): Promise<{ bytes: Uint8Array; manifest: PackManifest }> {
  const listed = await Promise.all(files.map(async (f) => ({ path: f.path, size: f.bytes.length, sha256: await sha256HexOfBytes(f.bytes), content_type: f.contentType })));
  const manifest: PackManifest = { format: PACK_FORMAT, ...meta, files: listed, signature: { algorithm: SIGNING_ALGORITHM.name, key_id: signer.keyId, public_key: signer.publicKey } };
  const manifestBytes = strToU8(JSON.stringify(manifest, null, 2));
  const mtime = new Date(meta.created_at);
  const zippable: Zippable = {
    [MANIFEST]: [manifestBytes, { mtime }],
    [SIGNATURE]: [strToU8(await signer.sign(manifestBytes)), { mtime }],
  };
  // JPEGs are compressed already: stored as they are. Text files deflate well.
  for (const f of files) zippable[f.path] = [f.bytes, { mtime, level: f.contentType === 'image/jpeg' ? 0 : 6 }];
  return { bytes: zipSync(zippable), manifest };
}

export interface PackVerdict {
  ok: boolean;
  /** What is wrong, one line each (empty when ok). */
  problems: string[];
  manifest: PackManifest | null;
  /** Whether the signing key is one of the trusted keys (null: no trusted keys were given). */
  trustedKey: boolean | null;
  files: Record<string, Uint8Array>;
}

async function verifySignature(publicKey: PublicJwk, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('jwk', { ...publicKey, ext: true }, SIGNING_ALGORITHM.generate, false, ['verify']);
    return await crypto.subtle.verify(SIGNING_ALGORITHM.sign, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}

/** Checks a pack: readable, signed by the key its manifest names (and, given trusted key ids, by one of them), every file listed and intact. */
export async function verifyPack(zip: Uint8Array, trustedKeyIds: string[] | null = null): Promise<PackVerdict> {
  const fail = (problem: string): PackVerdict => ({ ok: false, problems: [problem], manifest: null, trustedKey: null, files: {} });
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    return fail(`not a readable ZIP file (${error instanceof Error ? error.message : String(error)})`);
  }
  const manifestBytes = files[MANIFEST];
  const signatureText = files[SIGNATURE];
  if (!manifestBytes) return fail(`${MANIFEST} is missing: this is not an evidence pack`);
  if (!signatureText) return fail(`${SIGNATURE} is missing: the pack is not signed`);
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as PackManifest;
  } catch {
    return fail(`${MANIFEST} is not valid JSON`);
  }
  if (manifest.format !== PACK_FORMAT || !Array.isArray(manifest.files) || !manifest.signature?.public_key) return fail(`${MANIFEST} is not a ${PACK_FORMAT} manifest`);
  const problems: string[] = [];
  const key = manifest.signature.public_key;
  const signature = fromBase64Url(new TextDecoder().decode(signatureText).trim());
  if (!signature || !(await verifySignature(key, manifestBytes, signature))) problems.push(`the signature does not match ${MANIFEST}: the manifest was changed, or not signed by the key it names`);
  if ((await packKeyId(key)) !== manifest.signature.key_id) problems.push('the manifest names a key id that is not its public key\'s');
  const trustedKey = trustedKeyIds === null ? null : trustedKeyIds.includes(manifest.signature.key_id);
  if (trustedKey === false) problems.push(`signed by key ${manifest.signature.key_id}, which is not a trusted key of this server`);
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const bytes = files[entry.path];
    if (!bytes) problems.push(`${entry.path} is listed but missing`);
    else if (bytes.length !== entry.size || (await sha256HexOfBytes(bytes)) !== entry.sha256) problems.push(`${entry.path} was changed (its SHA-256 does not match the manifest)`);
  }
  for (const path of Object.keys(files)) {
    if (path !== MANIFEST && path !== SIGNATURE && !listed.has(path) && !path.endsWith('/')) problems.push(`${path} is not in the manifest (added after signing)`);
  }
  return { ok: problems.length === 0, problems, manifest, trustedKey, files };
}
