import { describe, expect, it } from 'vitest';
import { isInternalAddress, isIpLiteral, parseIpv6 } from './internal-address.ts';

describe('parseIpv6', () => {
  it('reads compressed, full and dotted-tail spellings into eight groups', () => {
    expect(parseIpv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('2002:7f00:1::')).toEqual([0x2002, 0x7f00, 1, 0, 0, 0, 0, 0]);
    expect(parseIpv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIpv6('64:ff9b::10.0.0.1')).toEqual([0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 1]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses what is not one address', () => {
    for (const text of ['1:2:3:4:5:6:7', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:300.0.0.1', 'example.com', '12345::1']) expect(parseIpv6(text), text).toBeNull();
  });
});

describe('isInternalAddress (what a resolver answers)', () => {
  it.each(['127.0.0.1', '127.1.2.3', '10.0.0.5', '169.254.169.254', '::1', '::', '::ffff:127.0.0.1', '::ffff:0:7f00:1', 'fd12::1', 'fe80::1', 'fec0::1', '2002:0a00:0001::', '64:ff9b::a9fe:a9fe', 'not an address'])('%s is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '203.0.113.7', '8.8.8.8', '2606:4700:4700::1111', '2a00:1450:4001::200e', '2002:5db8:d70e::1'])('%s is public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  it('tells literals from names', () => {
    expect(isIpLiteral('10.0.0.1')).toBe(true);
    expect(isIpLiteral('[::1]')).toBe(true);
    expect(isIpLiteral('::1')).toBe(true);
    expect(isIpLiteral('10.0.0.1.nip.io')).toBe(false);
  });
});
