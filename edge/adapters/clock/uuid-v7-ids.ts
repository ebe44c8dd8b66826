/**
 * UUIDv7 ids (RFC 9562): 48-bit millisecond timestamp, then a counter and randomness, so ids sort by
 * creation time; that keeps B-tree inserts local and gives cursor pagination a stable order.
 */
import type { Clock, IdGenerator } from '../../ports/clock.ts';

export function createUuidV7Ids(clock: Clock): IdGenerator {
  let lastMs = -1;
  let counter = 0;
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
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      for (let i = 0; i < 6; i++) bytes[i] = Math.floor(ms / 2 ** (8 * (5 - i))) & 0xff;
      bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
      bytes[7] = counter & 0xff;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}
