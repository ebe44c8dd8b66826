/** Hex SHA-256 of a string: the stored form of high-entropy secrets (device keys, refresh tokens, API keys). */
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

// Every device request hashes its key twice (rate limit, then authentication), a taxi calls every few seconds,
// and WebCrypto's digest is an async round trip: remember recent digests. Bounded; only key-sized inputs.
const recent = new Map<string, string>();
const RECENT_MAX = 10_000;
const MEMO_MAX_LENGTH = 128;

export async function sha256Hex(text: string): Promise<string> {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const b of digest) hex += HEX[b];
  if (text.length <= MEMO_MAX_LENGTH) {
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
    recent.set(text, hex);
  }
  return hex;
}
