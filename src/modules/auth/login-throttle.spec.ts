import { slidingShare } from '../../common/rate-limit/rate-limiter.service';
import { accountDelayMs, LOGIN_DELAY_MAX_MS, loginFailureKeys } from './login-throttle';

describe('login throttle', () => {
  it('does not delay below the ceiling, then waits longer for each failure past it, up to a cap', () => {
    expect(accountDelayMs(99, 100)).toBe(0);
    const delays = [100, 101, 102, 150].map((f) => accountDelayMs(f, 100));
    expect(delays[0]).toBeGreaterThan(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    expect(accountDelayMs(1_000_000, 100)).toBe(LOGIN_DELAY_MAX_MS);
  });

  it('keeps one address\'s counter apart from the account\'s and the other addresses\'', () => {
    const a = loginFailureKeys('x@example.fi', '10.0.0.1');
    const b = loginFailureKeys('x@example.fi', '10.0.0.2');
    expect(a.accountIp).not.toBe(b.accountIp);
    expect(a.account).toBe(b.account);
    expect(a.ip).not.toBe(b.ip);
  });

  it('slides: the previous window counts less as the current one goes on', () => {
    expect(slidingShare(10, true, 0.9)).toBe(10);
    expect(slidingShare(10, false, 0)).toBe(10);
    expect(slidingShare(10, false, 0.25)).toBe(7.5);
    expect(slidingShare(10, false, 1)).toBe(0);
  });
});
