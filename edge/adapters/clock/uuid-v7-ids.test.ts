/** UUIDv7 ids: the RFC 9562 layout, creation order within and across milliseconds, and no repeats across pool refills. */
import { describe, expect, it } from 'vitest';
import { createUuidV7Ids } from './uuid-v7-ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid v7 ids', () => {
  it('carry the millisecond in their first 48 bits, version 7 and the RFC variant', () => {
    const at = Date.UTC(2026, 11, 6, 9, 0, 0, 123);
    const id = createUuidV7Ids({ now: () => at }).next();
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sort in creation order within one millisecond and across them, and never repeat across many pools of randomness', () => {
    let now = Date.UTC(2026, 11, 6, 9, 0, 0);
    const ids = createUuidV7Ids({ now: () => now });
    const made: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 700 === 0) now += 1;
      made.push(ids.next());
    }
    expect(made.every((id) => UUID_V7.test(id))).toBe(true);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    // The random tails differ too: not one pool served twice.
    expect(new Set(made.map((id) => id.slice(19))).size).toBe(made.length);
  });

  it('keep their order when the clock steps back', () => {
    let now = Date.UTC(2026, 11, 6, 9, 0, 0);
    const ids = createUuidV7Ids({ now: () => now });
    const first = ids.next();
    now -= 5000;
    const second = ids.next();
    expect(second > first).toBe(true);
  });
});
