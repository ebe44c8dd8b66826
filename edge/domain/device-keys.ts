/**
 * Device keys: long random secrets shown once and stored only as a SHA-256 hash. A fast hash is right here
 * (unlike passwords) because 256 random bits cannot be guessed, and ingest looks keys up on every request.
 */
import { sha256Hex } from './sha256.ts';

export const DEVICE_KEY_LIFETIME_DAYS = 90;
export const DEVICE_KEY_PREFIX = 'twd_';

export interface GeneratedDeviceKey {
  key: string;
  /** The first characters, safe to show in lists so people can tell keys apart. */
  prefix: string;
  hash: string;
}

export const hashDeviceKey = sha256Hex;

export async function generateDeviceKey(): Promise<GeneratedDeviceKey> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = `${DEVICE_KEY_PREFIX}${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  return { key, prefix: key.slice(0, 12), hash: await hashDeviceKey(key) };
}
