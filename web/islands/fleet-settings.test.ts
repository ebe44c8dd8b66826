import { describe, expect, it } from 'vitest';
import { decimalText, parseDecimal } from './fleet-settings.tsx';

describe('fleet settings numbers', () => {
  it('writes thresholds as the reader does, without grouping, and reads either decimal mark back', () => {
    expect([decimalText('es', 3.5), decimalText('en', 3.5), decimalText('es', 3600), decimalText('en', 3600)]).toEqual(['3,5', '3.5', '3600', '3600']);
    expect([parseDecimal('3,5'), parseDecimal(' 3.5 '), parseDecimal('12')]).toEqual([3.5, 3.5, 12]);
    for (const bad of ['', '3,5,1', '1.000,5', 'abc', '-2']) expect(parseDecimal(bad), bad).toBeNaN();
  });
});
