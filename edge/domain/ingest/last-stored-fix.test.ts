import { describe, expect, it } from 'vitest';
import { MAX_DERIVE_GAP_MS } from '../telemetry/implied-motion.ts';
import { createLastStoredFixes } from './last-stored-fix.ts';

const T0 = Date.parse('2026-06-01T07:00:00Z');
const at = (seconds: number) => ({ at: T0 + seconds * 1000, lat: 40 + seconds / 1e4, lon: -3.7 });

describe('the last fix this process stored per vehicle', () => {
  it('assumes nothing for a vehicle it has not stored, nor for a batch that does not start after it', () => {
    const last = createLastStoredFixes();
    expect(last.assume('v1', T0)).toBeNull();
    last.remember('v1', at(9));
    expect(last.assume('v1', T0 + 9_000)).toBeNull(); // a retry of the same fix
    expect(last.assume('v1', T0 + 5_000)).toBeNull(); // a late batch
    expect(last.assume('v2', T0 + 10_000)).toBeNull();
  });

  it("takes it as the next batch's previous fix, with the span between them to be checked", () => {
    const last = createLastStoredFixes();
    last.remember('v1', at(9));
    expect(last.assume('v1', T0 + 10_000)).toEqual({ previous: at(9), gap: { after: T0 + 9_000, before: T0 + 10_000 } });
  });

  it('assumes no previous fix when it is older than the read looks back, and checks the whole window then', () => {
    const last = createLastStoredFixes();
    last.remember('v1', at(0));
    const earliest = T0 + MAX_DERIVE_GAP_MS + 1;
    expect(last.assume('v1', earliest)).toEqual({ previous: null, gap: { after: T0, before: earliest } });
    const later = T0 + 5 * 60_000;
    expect(last.assume('v1', later)).toEqual({ previous: null, gap: { after: later - MAX_DERIVE_GAP_MS - 1, before: later } });
  });

  it('keeps the newest fix when an older batch is stored after a newer one', () => {
    const last = createLastStoredFixes();
    last.remember('v1', at(19));
    last.remember('v1', at(9));
    expect(last.assume('v1', T0 + 20_000)?.previous).toEqual(at(19));
  });

  it('forgets the vehicles stored least recently beyond its limit', () => {
    const last = createLastStoredFixes(2);
    last.remember('v1', at(1));
    last.remember('v2', at(1));
    last.remember('v1', at(2)); // v1 is now the most recent
    last.remember('v3', at(1));
    expect(last.assume('v2', T0 + 10_000)).toBeNull();
    expect(last.assume('v1', T0 + 10_000)?.previous).toEqual(at(2));
    expect(last.assume('v3', T0 + 10_000)?.previous).toEqual(at(1));
  });
});
