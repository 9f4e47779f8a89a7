import { describe, expect, it } from 'vitest';
import { addressGroup } from '../src/per-address.ts';

describe('the address a limit counts against', () => {
  it('is the IPv4 address, whether it arrives plain or IPv4-mapped on a dual-stack socket', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 for IPv6, so a client cannot get round a limit by taking a new address from its own block', () => {
    const group = addressGroup('2001:db8:0:12:a:b:c:d');
    expect(group).toBe('2001:db8:0:12::/64');
    expect(addressGroup('2001:db8:0:12::1')).toBe(group);
    expect(addressGroup('2001:DB8:0:12:ffff:ffff:ffff:ffff%eth0')).toBe(group);
    expect(addressGroup('2001:db8:0:13::1')).not.toBe(group);
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
  });
});
