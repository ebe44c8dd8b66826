/**
 * UUIDv7 ids (RFC 9562): 48-bit millisecond timestamp, then a counter and randomness, so ids sort by
 * creation time; that keeps B-tree inserts local and gives cursor pagination a stable order.
 */
import type { Clock, IdGenerator } from '../../ports/clock.ts';

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
// Random bytes are drawn from the system in pools of this many ids: every request takes several ids, and one
// getRandomValues call per id was a system call per id (about 2 % of the server's CPU at thousands of taxis).
const POOL_IDS = 256;

export function createUuidV7Ids(clock: Clock): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  const pool = new Uint8Array(POOL_IDS * 8);
  let used = POOL_IDS;
  return {
    next() {
      let ms = clock.now();
      if (ms <= lastMs) {
        // Same (or earlier) millisecond: keep order by bumping a 12-bit counter, borrowing a ms when it overflows.
        ms = lastMs;
        counter += 1;
        if (counter > 0xfff) {
          ms = lastMs + 1;
          counter = 0;
        }
      } else {
        counter = 0;
      }
      lastMs = ms;
      if (used === POOL_IDS) {
        crypto.getRandomValues(pool);
        used = 0;
      }
      // 62 random bits after the variant: bytes 8–15 of the id.
      const r = used++ * 8;
      let time = '';
      for (let i = 0; i < 6; i++) time += HEX[Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff];
      const random = HEX[(pool[r] & 0x3f) | 0x80] + HEX[pool[r + 1]];
      let rest = '';
      for (let i = 2; i < 8; i++) rest += HEX[pool[r + i]];
      return `${time.slice(0, 8)}-${time.slice(8)}-${HEX[0x70 | ((counter >> 8) & 0x0f)]}${HEX[counter & 0xff]}-${random}-${rest}`;
    },
  };
}
