import { isJobcastError } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { addressBucket, normalizeAddress, resolveClientAddress, trustedProxyList } from '../src/web/client-address.ts';
import { LoginLimiter } from '../src/web/login-limit.ts';

function limiter() {
  const clock = { now: 0 };
  const limits = { perUser: 3, perAddress: 5, windowMs: 3_600_000, firstDelayMs: 10_000, maxDelayMs: 60_000 };
  return { clock, limiter: new LoginLimiter(limits, () => clock.now) };
}

/** The seconds `begin` asks to wait, or 0 when the attempt may go ahead. */
function waitOf(run: () => unknown): number {
  try {
    run();
    return 0;
  } catch (error) {
    if (!isJobcastError(error) || error.code !== 'RATE_LIMITED') throw error;
    return error.details?.retryAfterSeconds as number;
  }
}

describe('the login limit', () => {
  it('spaces out attempts on a username after its failures, longer with each failure, up to a cap', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 3; i++) l.begin('Media01', '10.0.0.1');
    // The name is the same person whatever its case, and changing address does not help.
    expect(() => l.begin('media01', '10.0.0.2')).toThrow(/登录失败次数过多，请 10 秒后再试/);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = waitOf(() => l.begin('media01', `10.0.1.${i}`));
      waits.push(wait);
      clock.now += wait * 1000;
      // Once waited for, the attempt goes ahead (and fails again).
      expect(waitOf(() => l.begin('media01', `10.0.1.${i}`))).toBe(0);
    }
    expect(waits).toEqual([10, 20, 40, 60, 60]);
  });

  it('spaces out an address that tries many names, and no other address', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) l.begin(`guess-${i}`, '10.0.0.9');
    expect(waitOf(() => l.begin('someone-new', '10.0.0.9'))).toBe(10);
    expect(waitOf(() => l.begin('someone-new', '10.0.0.10'))).toBe(0);
  });

  it('never slows a known device for failures from elsewhere, but counts its own', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 20; i++) waitOf(() => l.begin('manager', `198.51.100.${i}`));
    expect(waitOf(() => l.begin('manager', '198.51.100.99'))).toBeGreaterThan(0);
    const own = l.begin('manager', '198.51.100.99', 'device-1');
    l.succeeded(own);
    // A stolen or shared device guessing on its own is slowed like anyone.
    for (let i = 0; i < 3; i++) l.begin('manager', '203.0.113.1', 'device-1');
    expect(waitOf(() => l.begin('manager', '203.0.113.1', 'device-1'))).toBe(10);
    expect(waitOf(() => l.begin('manager', '203.0.113.1', 'device-2'))).toBe(0);
  });

  it('forgets a username’s failures once it signs in, and the sign-in itself is no failure', () => {
    const { limiter: l } = limiter();
    l.begin('anchor', 'a');
    l.begin('anchor', 'a');
    l.succeeded(l.begin('anchor', 'a'));
    l.begin('anchor', 'a');
    l.begin('anchor', 'a');
    expect(waitOf(() => l.begin('anchor', 'b'))).toBe(0);
    // The address saw four failures and one success: its fifth failure is still allowed.
    expect(waitOf(() => l.begin('someone', 'a'))).toBe(0);
    expect(waitOf(() => l.begin('someone-else', 'a'))).toBeGreaterThan(0);
  });

  it('counts attempts still being checked: a burst of guesses at once is held like one after another', () => {
    const { limiter: l } = limiter();
    // None of these has had its password checked yet.
    for (let i = 0; i < 3; i++) l.begin('manager', `10.0.1.${i}`);
    expect(() => l.begin('manager', '10.0.1.9')).toThrow(/登录失败次数过多/);
  });

  it('counts IPv6 addresses by their /64, and an IPv4-mapped address as its IPv4', () => {
    const { limiter: l } = limiter();
    for (let i = 1; i <= 5; i++) l.begin(`guess-${i}`, `2001:db8:1:2::${i}`);
    // Another address of the same /64, written differently, is the same line.
    expect(waitOf(() => l.begin('guess-6', '2001:DB8:1:2:ffff:ffff:ffff:fffe'))).toBeGreaterThan(0);
    expect(waitOf(() => l.begin('guess-6', '2001:db8:1:3::1'))).toBe(0);

    for (let i = 1; i <= 5; i++) l.begin(`mapped-${i}`, '::ffff:203.0.113.7');
    expect(waitOf(() => l.begin('mapped-6', '203.0.113.7'))).toBeGreaterThan(0);
    expect(addressBucket('2001:db8:1:2::1')).toBe(addressBucket('2001:db8:1:2:abcd::9'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('203.0.113.7:51000')).toBe('203.0.113.7');
    expect(normalizeAddress('unknown')).toBeUndefined();
  });
});

describe('the client address behind a reverse proxy', () => {
  const proxies = ['10.0.0.0/8', '2001:db8:ffff::1'];

  it('believes X-Forwarded-For only from a trusted proxy, taking the right-most entry not itself a proxy', () => {
    expect(resolveClientAddress('10.1.2.3', '203.0.113.5', proxies)).toBe('203.0.113.5');
    // The left-most entries are whatever the client sent: a forged one is skipped.
    expect(resolveClientAddress('10.1.2.3', '1.2.3.4, 203.0.113.5', proxies)).toBe('203.0.113.5');
    // A chain of trusted proxies (and a dual-stack socket's mapped address) is walked through.
    expect(resolveClientAddress('::ffff:10.1.2.3', '198.51.100.8, 10.9.9.9', proxies)).toBe('198.51.100.8');
    expect(resolveClientAddress('2001:db8:ffff::1', '[2001:db8:5::7]:1234', proxies)).toBe('2001:db8:5::7');
    // From anyone else the header is ignored.
    expect(resolveClientAddress('192.0.2.9', '203.0.113.5', proxies)).toBe('192.0.2.9');
    expect(resolveClientAddress('192.0.2.9', '203.0.113.5', [])).toBe('192.0.2.9');
    // A garbled entry is not believed: the proxy stands for the client.
    expect(resolveClientAddress('10.1.2.3', 'evil, not-an-ip', proxies)).toBe('10.1.2.3');
  });

  it('refuses a setting that is not an address or a range, naming it', () => {
    for (const entry of ['10.0.0.0/33', 'proxy.example.cn', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => trustedProxyList([entry]), entry).toThrow(`JOBCAST_TRUSTED_PROXIES 中的 "${entry}"`);
    }
    expect(() => trustedProxyList(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])).not.toThrow();
  });
});
