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
    for (let i = 0; i < 3; i++) {
      l.check('Media01', '10.0.0.1');
      l.failed('Media01', '10.0.0.1');
    }
    // The name is the same person whatever its case, and changing address does not help.
    expect(() => l.check('media01', '10.0.0.2')).toThrow(/登录失败次数过多，请 1 分钟后再试/);
    clock.now = 60_001;
    expect(() => l.check('media01', '10.0.0.2')).not.toThrow();
  });

  it('pauses an address that tries many names', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) l.failed(`guess-${i}`, '10.0.0.9');
    expect(() => l.check('someone-new', '10.0.0.9')).toThrow(/登录失败次数过多/);
    expect(() => l.check('someone-new', '10.0.0.10')).not.toThrow();
  });

  it('forgets a username’s failures once it signs in', () => {
    const { limiter: l } = limiter();
    l.failed('anchor', 'a');
    l.failed('anchor', 'a');
    l.succeeded('anchor');
    l.failed('anchor', 'a');
    l.failed('anchor', 'a');
    expect(() => l.check('anchor', 'b')).not.toThrow();
  });
});
