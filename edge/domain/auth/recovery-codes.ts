/**
 * Recovery codes: ten single-use codes that stand in for the authenticator app, shown once when two-factor
 * authentication is turned on (mfa.ts) and whenever the user makes a new set (recovery-code-renewal.ts). Only their
 * SHA-256 hashes are stored.
 */
import { sha256Hex } from '../sha256.ts';

export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of 10 hex digits (40 bits each), with the hashes to store. */
export async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => b.toString(16).padStart(2, '0')).join(''),
  );
  return { codes, hashes: await Promise.all(codes.map((c) => sha256Hex(c))) };
}
