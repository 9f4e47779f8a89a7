import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../src/web/login-limit.ts';

function limiter() {
  const clock = { now: 0 };
  const limits = { perUser: 3, perAddress: 5, windowMs: 60_000 };
  return { clock, limiter: new LoginLimiter(limits, () => clock.now) };
}

describe('the login limit', () => {
  it('pauses a username after its failures, and lets it in again when the window has passed', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 3; i++) l.begin('Media01', '10.0.0.1');
    // The name is the same person whatever its case, and changing address does not help.
    expect(() => l.begin('media01', '10.0.0.2')).toThrow(/登录失败次数过多，请 1 分钟后再试/);
    clock.now = 60_001;
    expect(() => l.begin('media01', '10.0.0.2')).not.toThrow();
  });

  it('pauses an address that tries many names', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) l.begin(`guess-${i}`, '10.0.0.9');
    expect(() => l.begin('someone-new', '10.0.0.9')).toThrow(/登录失败次数过多/);
    expect(() => l.begin('someone-new', '10.0.0.10')).not.toThrow();
  });

  it('forgets a username’s failures once it signs in, and the sign-in itself is no failure', () => {
    const { limiter: l } = limiter();
    l.begin('anchor', 'a');
    l.begin('anchor', 'a');
    l.succeeded(l.begin('anchor', 'a'));
    l.begin('anchor', 'a');
    l.begin('anchor', 'a');
    expect(() => l.begin('anchor', 'b')).not.toThrow();
    // The address saw four failures and one success: one more failure is still allowed there.
    expect(() => l.begin('someone', 'a')).not.toThrow();
    expect(() => l.begin('someone-else', 'a')).toThrow(/登录失败次数过多/);
  });

  it('counts attempts still being checked: a burst of guesses at once is held like one after another', () => {
    const { limiter: l } = limiter();
    // None of these has had its password checked yet.
    for (let i = 0; i < 3; i++) l.begin('manager', `10.0.1.${i}`);
    expect(() => l.begin('manager', '10.0.1.9')).toThrow(/登录失败次数过多/);
  });
});
