/**
 * Password hashing that runs on every runtime (WebCrypto PBKDF2-SHA-256). 100,000 iterations is the most
 * Cloudflare Workers accepts; the count is stored with the hash so it can be raised later without a reset.
 */
export const PASSWORD_ITERATIONS = 100_000;
// A stored hash names its own cost; cap what we honour so a tampered row cannot pin a CPU for minutes.
const MAX_ITERATIONS = 10_000_000;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  // NFKC so the same password typed on different keyboards/OSes (composed vs decomposed accents) matches.
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BYTES * 8));
}

/** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` with a fresh 16-byte salt. */
export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${iterations}$${b64(salt)}$${b64(await derive(password, salt, iterations))}`;
}

function parseStored(stored: string): { iterations: number; salt: Uint8Array<ArrayBuffer>; hash: Uint8Array } | null {
  const [scheme, count, salt, hash, extra] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || extra !== undefined || !/^[1-9]\d{0,7}$/.test(count ?? '') || !salt || !hash) return null;
  const iterations = Number(count);
  if (iterations > MAX_ITERATIONS) return null;
  try {
    const parsed = { iterations, salt: unb64(salt), hash: unb64(hash) };
    return parsed.hash.length === KEY_BYTES ? parsed : null;
  } catch {
    return null; // not base64
  }
}

/** True only for the right password; a malformed stored value is a mismatch, never a throw. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.iterations);
  // Compare every byte so the time taken does not reveal where the first difference is.
  let diff = 0;
  for (let i = 0; i < KEY_BYTES; i++) diff |= parsed.hash[i] ^ actual[i];
  return diff === 0;
}

/** A random password for generated accounts (demo data): 18 characters from an unambiguous alphabet (~105 bits). */
export function generatePassword(length = 18): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  // Rejection sampling: bytes past the largest multiple of the alphabet size would favour its first letters.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      if (b < limit && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}
