import { describe, expect, it } from 'vitest';
import { costUsd, priceOf } from './model-prices.ts';

describe('model prices', () => {
  it('prices gpt-4o-mini, gpt-4o and gpt-4.1-mini per million input/output tokens', () => {
    expect(costUsd('gpt-4o-mini', 1_000_000, 0)).toBeCloseTo(0.15, 10);
    expect(costUsd('gpt-4o-mini', 0, 1_000_000)).toBeCloseTo(0.6, 10);
    expect(costUsd('gpt-4o', 1000, 100)).toBeCloseTo((1000 * 2.5 + 100 * 10) / 1e6, 12);
    expect(costUsd('gpt-4.1-mini', 2000, 500)).toBeCloseTo((2000 * 0.4 + 500 * 1.6) / 1e6, 12);
  });

  it('matches dated snapshots by prefix without confusing gpt-4o with gpt-4o-mini', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18')?.inputPerMillion).toBe(0.15);
    expect(priceOf('gpt-4o-2024-08-06')?.inputPerMillion).toBe(2.5);
    expect(priceOf('GPT-4o')?.outputPerMillion).toBe(10);
  });

  it('costs nothing for models it does not know (local servers)', () => {
    expect(priceOf('llava:13b')).toBeNull();
    expect(costUsd('qwen2.5-vl', 5000, 300)).toBe(0);
    expect(priceOf('gpt-4oops')).toBeNull();
  });
});
